// Client addresses in one spelling: what is stored with a comment, counted by flood control and
// matched against bans. "::ffff:203.0.113.7" and "203.0.113.7" are one client, and so are all the
// addresses of one IPv6 /64: providers hand a household or a server a whole /64, and a client picks
// a new address in it whenever it likes (RFC 8981), so counting addresses one by one counts nothing.
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/** The prefix an IPv6 client is counted and offered for banning by. */
const IPV6_CLIENT_PREFIX = 64;

/** "::ffff:203.0.113.7" → "203.0.113.7", "2001:DB8:0::1" → "2001:db8::1"; null unless exactly one IP address. */
export function canonicalIp(value: string | null | undefined): string | null {
  if (!value) return null;
  const v = value.trim();
  // node:net's isIP is strict (no "127.1", no "0x7f.0.0.1", which ipaddr.js alone would take);
  // zone ids (fe80::1%eth0) name an interface of one machine and identify nobody.
  if (v.length > 45 || v.includes('%') || isIP(v) === 0) return null;
  return ipaddr.process(v).toString();
}

/** 127.0.0.0/8, ::1 and ::ffff:127.x.y.z: a connection from this machine itself. */
export function isLoopback(value: string | null | undefined): boolean {
  const ip = canonicalIp(value);
  return ip !== null && ipaddr.parse(ip).range() === 'loopback';
}

/** "2001:db8:1:2:3:4:5:6", 64 → "2001:db8:1:2::/64" (the network, in canonical spelling). */
function ipv6Network(ip: string, prefix: number): string {
  return `${ipaddr.IPv6.networkAddressFromCIDR(`${ip}/${prefix}`).toString()}/${prefix}`;
}

/** One client: an IPv4 address alone, an IPv6 address as its /64; null when not an IP address. */
export function clientKey(value: string | null | undefined): string | null {
  const ip = canonicalIp(value);
  if (!ip?.includes(':')) return ip;
  return ipv6Network(ip, IPV6_CLIENT_PREFIX);
}

/**
 * An address or CIDR range in canonical spelling: "203.0.113.9/24" → "203.0.113.0/24", a full-length
 * prefix → the bare address. Null when invalid or wider than `minPrefix` allows for its family.
 */
export function canonicalRange(value: string, minPrefix: { ipv4: number; ipv6: number }): string | null {
  const v = value.trim();
  const slash = v.indexOf('/');
  if (slash === -1) return canonicalIp(v);
  const address = canonicalIp(v.slice(0, slash));
  const prefixText = v.slice(slash + 1);
  if (!address || !/^\d{1,3}$/.test(prefixText)) return null;
  // An IPv4-mapped address with a prefix would need the prefix shifted: not worth the confusion.
  if (!v.slice(0, slash).includes(':') !== !address.includes(':')) return null;
  const prefix = Number(prefixText);
  const v6 = address.includes(':');
  const max = v6 ? 128 : 32;
  if (prefix > max || prefix < (v6 ? minPrefix.ipv6 : minPrefix.ipv4)) return null;
  if (prefix === max) return address;
  if (v6) return ipv6Network(address, prefix);
  return `${ipaddr.IPv4.networkAddressFromCIDR(`${address}/${prefix}`).toString()}/${prefix}`;
}

/**
 * The address in one X-Forwarded-For entry, as proxies write it: a bare address, or with a port
 * ("203.0.113.7:51234", "[2001:db8::1]:443"). Anything else ("unknown", a host name, junk) is null.
 */
export function forwardedAddress(entry: string): string | null {
  const e = entry.trim();
  const bracketed = /^\[([0-9a-fA-F:.]+)\](?::\d{1,5})?$/.exec(e);
  if (bracketed) return canonicalIp(bracketed[1]);
  const v4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/.exec(e);
  if (v4WithPort) return canonicalIp(v4WithPort[1]);
  return canonicalIp(e);
}

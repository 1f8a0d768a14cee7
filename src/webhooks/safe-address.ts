// Webhook targets must not reach into our own network: loopback, private, link-local (cloud metadata),
// and other special ranges are refused unless the operator allows them (WEBHOOK_ALLOW_PRIVATE).
import dns from 'node:dns';
import net, { type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

export class ForbiddenAddressError extends Error {
  readonly code = 'EFORBIDDENADDRESS';
}

/**
 * The address parsed from its canonical spelling. ipaddr.js reads the dotted IPv4-compatible form
 * ("::127.0.0.1") as IPv4-mapped, so IPv6 goes through the WHATWG URL parser first ("::7f00:1").
 */
function parseAddress(address: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  const family = net.isIP(address);
  if (family === 0) return null;
  try {
    return ipaddr.parse(family === 6 ? new URL(`http://[${address}]/`).hostname.slice(1, -1) : address);
  } catch {
    return null; // e.g. a zone index ("fe80::1%eth0"): never a public target
  }
}

/**
 * True when the address is on the public internet. IPv4-mapped addresses are judged by their IPv4
 * address; the rest of ::/96 (IPv4-compatible, deprecated since RFC 4291, ::1 and ::) is refused, and
 * so is every range that is not plain unicast, among them the ranges that embed an IPv4 address a
 * gateway would reach (NAT64 64:ff9b::/96 and 64:ff9b:1::/48, 6to4 2002::/16, Teredo, SIIT).
 */
export function isPublicAddress(address: string): boolean {
  const ip = parseAddress(address);
  if (!ip) return false;
  if (ip.kind() === 'ipv4') return ip.range() === 'unicast';
  const v6 = ip as ipaddr.IPv6;
  if (v6.isIPv4MappedAddress()) return v6.toIPv4Address().range() === 'unicast';
  if (v6.parts.slice(0, 6).every((part) => part === 0)) return false;
  return v6.range() === 'unicast';
}

/**
 * A dns.lookup replacement for http.request: checks every address the name resolves to, so the
 * check applies to the address actually connected to (no DNS rebinding between check and connect).
 */
export const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, '', 0);
    const list = addresses as dns.LookupAddress[];
    const bad = list.find((a) => !isPublicAddress(a.address));
    if (bad)
      return callback(
        new ForbiddenAddressError(`${hostname} resolves to ${bad.address}, a private or reserved address`),
        '',
        0,
      );
    if ((options as dns.LookupOptions).all)
      return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
    callback(null, list[0]!.address, list[0]!.family);
  });
};

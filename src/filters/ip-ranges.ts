// IP addresses and CIDR ranges (IPv4 and IPv6) for block lists, over Node's own BlockList:
// well-kept, exact, and it matches IPv4-mapped IPv6 addresses (::ffff:203.0.113.7) against IPv4 ranges.
import { BlockList, isIP } from 'node:net';

export interface IpRange {
  address: string;
  prefix: number;
  family: 'ipv4' | 'ipv6';
}

/** "203.0.113.7", "203.0.113.0/24", "2001:db8::/32" → the range; anything else → null. */
export function parseIpRange(entry: string): IpRange | null {
  const slash = entry.indexOf('/');
  const address = slash === -1 ? entry : entry.slice(0, slash);
  const version = isIP(address);
  // Zone ids (fe80::1%eth0) name an interface of one machine: meaningless in a shared block list.
  if (version === 0 || address.includes('%')) return null;
  const family = version === 4 ? 'ipv4' : 'ipv6';
  const max = version === 4 ? 32 : 128;
  if (slash === -1) return { address, prefix: max, family };
  const prefixText = entry.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixText)) return null;
  const prefix = Number(prefixText);
  return prefix <= max ? { address, prefix, family } : null;
}

export interface IpRangeList {
  /** The entry that contains the address, or null. */
  find(ip: string): string | null;
}

export function compileIpRanges(entries: readonly string[]): IpRangeList {
  const ranges = entries.flatMap((entry) => {
    const range = parseIpRange(entry);
    if (!range) return [];
    const one = new BlockList();
    one.addSubnet(range.address, range.prefix, range.family);
    return [{ entry, one }];
  });
  const all = new BlockList();
  for (const entry of entries) {
    const range = parseIpRange(entry);
    if (range) all.addSubnet(range.address, range.prefix, range.family);
  }
  return {
    find(ip) {
      const version = isIP(ip);
      if (version === 0) return null;
      const family = version === 4 ? 'ipv4' : 'ipv6';
      // One check against every range; only on a hit, find which entry it was, for the moderator.
      if (!all.check(ip, family)) return null;
      return ranges.find((r) => r.one.check(ip, family))?.entry ?? null;
    },
  };
}

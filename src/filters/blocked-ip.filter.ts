// Banned IP addresses and ranges (IPv4 and IPv6 CIDR).

import { compileCache } from './compile-cache.ts';
import type { Filter } from './filter.ts';
import { compileIpRanges } from './ip-ranges.ts';

const rangesOf = compileCache(
  (s) => s.blockedIps,
  (s) => compileIpRanges(s.blockedIps),
);

export const blockedIpFilter: Filter = {
  name: 'blocked-ip',
  prepare: (settings) => void rangesOf(settings),
  run({ request, settings }) {
    if (settings.blockedIps.length === 0 || request.ip === null) return null;
    const range = rangesOf(settings).find(request.ip);
    if (range === null) return null;
    return {
      action: 'reject',
      code: 'blocked_ip',
      detail: `The IP address is in ${range}, on the site's block list.`,
      data: { range },
    };
  },
};

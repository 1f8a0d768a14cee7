// The webhook SSRF guard on every spelling of an address that embeds IPv4 in IPv6.
import { describe, expect, it } from 'vitest';
import { isPublicAddress } from '../../src/webhooks/safe-address.ts';

describe('isPublicAddress', () => {
  it('refuses IPv4-compatible IPv6 (::/96), whatever IPv4 address it holds', () => {
    for (const a of ['::127.0.0.1', '::7f00:1', '::10.0.0.1', '::a00:1', '::169.254.169.254', '::8.8.8.8', '::1', '::'])
      expect(isPublicAddress(a), a).toBe(false);
  });

  it('judges IPv4-mapped IPv6 by its IPv4 address, in either spelling', () => {
    for (const a of [
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '::FFFF:10.1.2.3',
      '::ffff:a9fe:a9fe',
      '0:0:0:0:0:ffff:c0a8:1',
    ])
      expect(isPublicAddress(a), a).toBe(false);
    expect(isPublicAddress('::ffff:8.8.8.8')).toBe(true);
  });

  it('refuses NAT64, 6to4, Teredo and SIIT addresses, which a gateway would turn into IPv4', () => {
    for (const a of [
      '64:ff9b::127.0.0.1',
      '64:ff9b::a00:1',
      '64:ff9b::8.8.8.8',
      '64:ff9b:1::a9fe:a9fe',
      '2002:7f00:1::1',
      '2002:a00:1::',
      '2002:c0a8:101::1',
      '2001:0:4136:e378:8000:63bf:3fff:fdd2',
      '::ffff:0:127.0.0.1',
    ])
      expect(isPublicAddress(a), a).toBe(false);
  });

  it('lets public addresses through and refuses what is not an address', () => {
    for (const a of ['8.8.8.8', '93.184.216.34', '2606:4700:4700::1111', '2a00:1450:4001:80b::200e'])
      expect(isPublicAddress(a), a).toBe(true);
    for (const a of ['fe80::1%eth0', 'localhost', '2130706433', '0x7f.1', '127.1', ''])
      expect(isPublicAddress(a), a).toBe(false);
  });
});

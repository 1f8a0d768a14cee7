import { describe, expect, it } from 'vitest';
import { blockedDomainFilter } from '../../../src/filters/blocked-domain.filter.ts';
import { blockedEmailFilter } from '../../../src/filters/blocked-email.filter.ts';
import { blockedIpFilter } from '../../../src/filters/blocked-ip.filter.ts';
import { compileIpRanges, parseIpRange } from '../../../src/filters/ip-ranges.ts';
import { filterInput } from './filter-input.ts';

describe('IP ranges', () => {
  it('parses addresses and CIDR ranges of both families, and nothing else', () => {
    expect(parseIpRange('203.0.113.7')).toEqual({ address: '203.0.113.7', prefix: 32, family: 'ipv4' });
    expect(parseIpRange('203.0.113.0/24')).toEqual({ address: '203.0.113.0', prefix: 24, family: 'ipv4' });
    expect(parseIpRange('2001:db8::/32')).toEqual({ address: '2001:db8::', prefix: 32, family: 'ipv6' });
    for (const bad of [
      '300.1.2.3',
      '1.2.3.4/33',
      '2001:db8::/129',
      '1.2.3.4/',
      '1.2.3.4/-1',
      '1.2.3.4/8/8',
      'example.com',
      'fe80::1%eth0',
      '',
      '1.2.3',
    ]) {
      expect(parseIpRange(bad), bad).toBeNull();
    }
  });

  it('finds the entry containing an address, including IPv4-mapped IPv6', () => {
    const ranges = compileIpRanges(['10.0.0.0/8', '2001:db8::/32', '192.0.2.1']);
    expect(ranges.find('10.20.30.40')).toBe('10.0.0.0/8');
    expect(ranges.find('::ffff:10.1.1.1')).toBe('10.0.0.0/8');
    expect(ranges.find('2001:0db8:0000:0000:0000:0000:0000:0042')).toBe('2001:db8::/32');
    expect(ranges.find('192.0.2.1')).toBe('192.0.2.1');
    expect(ranges.find('192.0.2.2')).toBeNull();
    expect(ranges.find('2001:db9::1')).toBeNull();
    expect(ranges.find('not an ip')).toBeNull();
  });
});

describe('block lists', () => {
  it('rejects a blocked email address, in any letter case', () => {
    const settings = { blockedEmails: ['troll@example.com'] };
    expect(blockedEmailFilter.run(filterInput({ comment: { email: 'Troll@Example.com' }, settings }))).toMatchObject({
      action: 'reject',
      code: 'blocked_email',
    });
    expect(blockedEmailFilter.run(filterInput({ comment: { email: 'troll2@example.com' }, settings }))).toBeNull();
  });

  it('rejects addresses at a blocked domain and its subdomains only', () => {
    const settings = { blockedDomains: ['spam.example'] };
    const run = (email: string) => blockedDomainFilter.run(filterInput({ comment: { email }, settings }));
    expect(run('a@spam.example')).toMatchObject({
      action: 'reject',
      code: 'blocked_domain',
      data: { domain: 'spam.example' },
    });
    expect(run('a@mail.SPAM.example')).toMatchObject({ data: { domain: 'spam.example' } });
    expect(run('a@notspam.example')).toBeNull();
    expect(run('a@spam.example.org')).toBeNull();
  });

  it('rejects addresses in a blocked IP range', () => {
    const settings = { blockedIps: ['203.0.113.0/24', '2001:db8::/48'] };
    const run = (ip: string | null) => blockedIpFilter.run(filterInput({ request: { ip }, settings }));
    expect(run('203.0.113.99')).toMatchObject({
      action: 'reject',
      code: 'blocked_ip',
      data: { range: '203.0.113.0/24' },
    });
    expect(run('2001:db8:0:1::5')).toMatchObject({ data: { range: '2001:db8::/48' } });
    expect(run('2001:db8:1::5')).toBeNull();
    expect(run('198.51.100.1')).toBeNull();
    expect(run(null)).toBeNull();
  });
});

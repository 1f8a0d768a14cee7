// The pure parts of privacy: reasons without values, scrubbing erased values out of free text, and
// client addresses in one spelling (IPv4-mapped, IPv6 /64, ranges, X-Forwarded-For entries).
import { describe, expect, it } from 'vitest';
import { redactReasons } from '../../src/domain/redacted-reason.ts';
import { runFilters } from '../../src/filters/pipeline.ts';
import { canonicalIp, canonicalRange, clientKey, forwardedAddress } from '../../src/shared/ip-address.ts';
import { ERASED, scrubber } from '../../src/shared/scrub.ts';
import { payloadFor } from '../../src/webhooks/webhook-payload.ts';
import { filterInput } from './filters/filter-input.ts';

/** What the filters below record of the author: address, domain, the range of the IP, matched spans, links. */
const RECORDED = [
  'ada.l@analytical.example',
  'analytical.example',
  '203.0.113.0/24',
  'CaSiNo',
  'AdaBrowser',
  'f.u.c.k',
];
const AUTHOR_DETAILS = ['203.0.113.9', 'AdaBrowser/1.0 (Engine)'];

function heldEverywhere() {
  return runFilters(
    filterInput({
      comment: {
        name: 'Ada',
        email: 'ada.l@analytical.example',
        body: 'CaSiNo and f.u.c.k http://a.example http://b.example',
      },
      request: { ip: '203.0.113.9', userAgent: 'AdaBrowser/1.0 (Engine)' },
      settings: {
        blockedEmails: ['ada.l@analytical.example'],
        blockedDomains: ['analytical.example'],
        blockedIps: ['203.0.113.0/24'],
        holdWords: ['casino', 'adabrowser'],
        linkLimit: 2,
      },
    }),
  ).verdicts;
}

describe('redacted reasons', () => {
  it('keep action, code, a sentence and the field names; drop every value a filter recorded', () => {
    const verdicts = heldEverywhere();
    const full = JSON.stringify(verdicts);
    for (const v of [...RECORDED, 'http://a.example']) expect(full).toContain(v); // the filters did record them
    const redacted = redactReasons(verdicts);
    const text = JSON.stringify(redacted);
    for (const v of [...RECORDED, 'analytical', '203.0.113', 'a.example']) expect(text).not.toContain(v);
    expect(redacted).toEqual(
      expect.arrayContaining([
        {
          action: 'reject',
          code: 'blocked_email',
          detail: "The email address is on the site's block list.",
          fields: ['email'],
        },
        {
          action: 'reject',
          code: 'blocked_domain',
          detail: "The email domain is on the site's block list.",
          fields: ['email'],
        },
        { action: 'reject', code: 'blocked_ip', detail: "The IP address is on the site's block list.", fields: ['ip'] },
        expect.objectContaining({ code: 'hold_word', fields: ['body', 'userAgent'] }),
        expect.objectContaining({ code: 'profanity', fields: ['body'] }),
        expect.objectContaining({
          code: 'too_many_links',
          fields: ['body'],
          data: expect.objectContaining({ limit: 2 }),
        }),
      ]),
    );
  });

  it('are the same when redacted twice, and drop what is not a reason', () => {
    const once = redactReasons(heldEverywhere());
    expect(redactReasons(once)).toEqual(once);
    expect(redactReasons([null, 'x', { code: 'Bad Code' }, { code: 'new_filter', detail: 'secret ada' }])).toEqual([
      { action: 'hold', code: 'new_filter', detail: 'A rule of the site matched.' },
    ]);
    expect(redactReasons('not a list')).toEqual([]);
  });
});

describe('webhook payloads', () => {
  const stored = {
    type: 'comment.created',
    data: { comment: { id: 'c1', name: 'Ada', body: 'hi' }, reasons: heldEverywhere() },
  };
  const author = { email: 'ada.l@analytical.example', ip: '203.0.113.9', user_agent: 'AdaBrowser/1.0 (Engine)' };

  it('carry no personal value to endpoints without personal data', () => {
    const body = JSON.stringify(payloadFor(stored, { include_personal_data: false }, author));
    for (const v of [...RECORDED, ...AUTHOR_DETAILS]) expect(body).not.toContain(v);
    expect(body).toContain('"code":"blocked_email"');
  });

  it('carry the reasons in full and the author details to endpoints with personal data', () => {
    const p = payloadFor(stored, { include_personal_data: true }, author) as any;
    expect(p.data.comment).toMatchObject({ email: author.email, ip: author.ip, userAgent: author.user_agent });
    expect(JSON.stringify(p.data.reasons)).toContain('CaSiNo');
    expect((stored.data.comment as Record<string, unknown>).email).toBeUndefined(); // the stored event is untouched
  });
});

describe('scrubbing erased values out of free text', () => {
  const s = scrubber(['Ada Lovelace', 'ada@example.com', '203.0.113.9', 'Al', '', null]);

  it('replaces every occurrence in any case, keeping the rest readable', () => {
    expect(s.text('Banned ADA LOVELACE (ada@Example.com) from 203.0.113.9')).toBe(
      `Banned ${ERASED} (${ERASED}) from ${ERASED}`,
    );
    // A value this short only goes where it is the whole string.
    expect(s.text('Also fine')).toBe('Also fine');
    expect(s.text('al')).toBe(ERASED);
  });

  it('walks JSON, returning the same object when nothing changed', () => {
    const details = { settings: { blockedEmails: ['x@example.com', 'ADA@example.com'] }, n: 3 };
    expect(s.json(details)).toEqual({ settings: { blockedEmails: ['x@example.com', ERASED] }, n: 3 });
    const clean = { a: ['b'], n: 1 };
    expect(s.json(clean)).toBe(clean);
    expect(scrubber([]).empty).toBe(true);
  });
});

describe('client addresses', () => {
  it('have one canonical spelling, and anything that is not exactly an IP is null', () => {
    expect(canonicalIp('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(canonicalIp(' 2001:DB8:0:0::1 ')).toBe('2001:db8::1');
    for (const junk of ['unknown', '127.1', '0x7f.0.0.1', 'fe80::1%eth0', 'example.com', '1.2.3.4.5', '', null])
      expect(canonicalIp(junk)).toBeNull();
  });

  it('count an IPv4 address alone and an IPv6 address by its /64', () => {
    expect(clientKey('::ffff:198.51.100.4')).toBe('198.51.100.4');
    expect(clientKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:db8:1:2:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:db8:1:3::1')).toBe('2001:db8:1:3::/64');
    expect(clientKey('nonsense')).toBeNull();
  });

  it('read ranges canonically, refusing ones wider than allowed', () => {
    const min = { ipv4: 16, ipv6: 32 };
    expect(canonicalRange('203.0.113.9/24', min)).toBe('203.0.113.0/24');
    expect(canonicalRange('2001:DB8:1:2::5/64', min)).toBe('2001:db8:1:2::/64');
    expect(canonicalRange('203.0.113.9/32', min)).toBe('203.0.113.9');
    expect(canonicalRange('::ffff:203.0.113.9', min)).toBe('203.0.113.9');
    for (const bad of ['10.0.0.0/8', '2001::/16', '203.0.113.9/33', '203.0.113.9/', 'x/24', '::ffff:1.2.3.4/120'])
      expect(canonicalRange(bad, min)).toBeNull();
  });

  it('take X-Forwarded-For entries only when they are an address (with or without a port)', () => {
    expect(forwardedAddress('203.0.113.7')).toBe('203.0.113.7');
    expect(forwardedAddress('203.0.113.7:51234')).toBe('203.0.113.7');
    expect(forwardedAddress('[2001:db8::1]:443')).toBe('2001:db8::1');
    expect(forwardedAddress('[::ffff:203.0.113.7]')).toBe('203.0.113.7');
    for (const junk of ['unknown', '<script>', "1.2.3.4' or 1=1", 'proxy.internal', '2001:db8::1:443x'])
      expect(forwardedAddress(junk)).toBeNull();
  });
});

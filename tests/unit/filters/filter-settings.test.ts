import { describe, expect, it } from 'vitest';
import { zodToFieldErrors } from '../../../src/shared/validation.ts';
import { MAX_LIST_ENTRIES } from '../../../src/sites/filter-settings.ts';
import { siteSettingsSchema } from '../../../src/sites/site-settings.ts';

function problems(settings: Record<string, unknown>) {
  const parsed = siteSettingsSchema.safeParse(settings);
  if (parsed.success) throw new Error(`expected ${JSON.stringify(settings).slice(0, 200)} to be refused`);
  return zodToFieldErrors(parsed.error, 'settings');
}

describe('filter settings', () => {
  it('has documented defaults', () => {
    expect(siteSettingsSchema.parse({})).toMatchObject({
      minSubmitSeconds: 3,
      blockedWords: [],
      holdWords: [],
      profanityAction: 'hold',
      profanityWords: [],
      profanityExceptions: [],
      linkLimit: 2,
      blockedEmails: [],
      blockedDomains: [],
      blockedIps: [],
      floodIntervalSeconds: 15,
      shoutingMinLetters: 30,
      maxRepeatedChars: 10,
      minBodyLength: 1,
      maxBodyLength: 10_000,
      revealRejections: false,
    });
  });

  it('cleans lists: trims entries, drops duplicates, normalises emails and domains', () => {
    const s = siteSettingsSchema.parse({
      blockedWords: ['  casino ', 'Casino', 'poker'],
      blockedEmails: [' Troll@Example.COM '],
      blockedDomains: ['@Spam.Example', '*.junk.example'],
      blockedIps: [' 203.0.113.0/24 ', '2001:db8::/32'],
    });
    expect(s.blockedWords).toEqual(['casino', 'poker']);
    expect(s.blockedEmails).toEqual(['troll@example.com']);
    expect(s.blockedDomains).toEqual(['spam.example', 'junk.example']);
    expect(s.blockedIps).toEqual(['203.0.113.0/24', '2001:db8::/32']);
  });

  it('refuses an invalid IP or CIDR range, naming the entry', () => {
    expect(problems({ blockedIps: ['203.0.113.0/24', '10.0.0.0/33'] })).toEqual([
      {
        path: 'settings.blockedIps.1',
        message: expect.stringContaining('"10.0.0.0/33" is not an IP address or CIDR range'),
      },
    ]);
    expect(problems({ blockedIps: ['2001:db8::/129'] })[0]?.path).toBe('settings.blockedIps.0');
    expect(problems({ blockedIps: ['example.com'] })[0]?.path).toBe('settings.blockedIps.0');
  });

  it('refuses huge lists and over-long entries', () => {
    const many = Array.from({ length: MAX_LIST_ENTRIES + 1 }, (_, i) => `w${i}`);
    expect(problems({ holdWords: many })).toEqual([
      { path: 'settings.holdWords', message: 'must have at most 5,000 entries' },
    ]);
    expect(siteSettingsSchema.safeParse({ holdWords: many.slice(1) }).success).toBe(true);
    expect(problems({ blockedWords: ['x'.repeat(101)] })).toEqual([
      { path: 'settings.blockedWords.0', message: 'must be at most 100 characters' },
    ]);
  });

  it('refuses empty words, control characters and regular expressions', () => {
    expect(problems({ blockedWords: ['ok', '   '] })).toEqual([
      { path: 'settings.blockedWords.1', message: 'must not be empty' },
    ]);
    expect(problems({ holdWords: ['bad\u0007word'] })[0]?.message).toContain('control characters');
    expect(problems({ holdWords: ['a\u0000b'] })[0]?.message).toContain('NUL');
    expect(problems({ blockedWords: ['/fu+ck/i'] })[0]?.message).toContain(
      'looks like a regular expression; word lists are plain text',
    );
    // Regex syntax inside ordinary text is just text.
    expect(siteSettingsSchema.parse({ blockedWords: ['(cheap)+ pills', 'a.b*'] }).blockedWords).toEqual([
      '(cheap)+ pills',
      'a.b*',
    ]);
  });

  it('refuses profanity words without letters or with hidden letters', () => {
    expect(problems({ profanityWords: ['!!!'] })[0]?.message).toContain('has no letters');
    expect(problems({ profanityWords: ['f*ck'] })[0]?.message).toContain('contains "*"');
    expect(siteSettingsSchema.parse({ profanityWords: ['Frak', 'gorram'] }).profanityWords).toEqual(['Frak', 'gorram']);
  });

  it('refuses bad emails, domains, actions and numbers, naming each setting', () => {
    const paths = problems({
      blockedEmails: ['not-an-email'],
      blockedDomains: ['exa mple.com'],
      profanityAction: 'delete',
      linkLimit: 0,
      floodIntervalSeconds: -1,
      maxRepeatedChars: 1,
      minSubmitSeconds: 'soon',
    }).map((p) => p.path);
    expect(paths.sort()).toEqual(
      [
        'settings.blockedDomains.0',
        'settings.blockedEmails.0',
        'settings.floodIntervalSeconds',
        'settings.linkLimit',
        'settings.maxRepeatedChars',
        'settings.minSubmitSeconds',
        'settings.profanityAction',
      ].sort(),
    );
  });

  it('keeps body length limits within the absolute cap and in order', () => {
    expect(problems({ maxBodyLength: 10_001 })[0]?.path).toBe('settings.maxBodyLength');
    expect(problems({ minBodyLength: 500, maxBodyLength: 100 })).toEqual([
      { path: 'settings.minBodyLength', message: 'must not be more than maxBodyLength (100)' },
    ]);
    expect(siteSettingsSchema.parse({ minBodyLength: 20, maxBodyLength: 2_000 })).toMatchObject({
      minBodyLength: 20,
      maxBodyLength: 2_000,
    });
  });

  it('accepts null to turn off optional limits', () => {
    expect(
      siteSettingsSchema.parse({ linkLimit: null, shoutingMinLetters: null, maxRepeatedChars: null }),
    ).toMatchObject({ linkLimit: null, shoutingMinLetters: null, maxRepeatedChars: null });
  });
});

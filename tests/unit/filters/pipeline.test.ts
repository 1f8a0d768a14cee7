import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compilations } from '../../../src/filters/compile-cache.ts';
import type { Filter } from '../../../src/filters/filter.ts';
import { runFilters } from '../../../src/filters/pipeline.ts';
import { FILTERS, prepareFilters } from '../../../src/filters/registry.ts';
import { filterInput } from './filter-input.ts';

const fixed = (name: string, action: 'approve' | 'hold' | 'reject' | 'spam' | null): Filter => ({
  name,
  run: () => (action ? { action, code: `${name}_code`, detail: `${name} says ${action}` } : null),
});

describe('filter pipeline', () => {
  it('approves a comment no filter objects to, with no reasons', () => {
    expect(runFilters(filterInput())).toEqual({ action: 'approve', status: 'approved', verdicts: [] });
  });

  it('lets the strongest action win and keeps every verdict as a reason', () => {
    const result = runFilters(filterInput(), [
      fixed('a', 'hold'),
      fixed('b', null),
      fixed('c', 'spam'),
      fixed('d', 'reject'),
    ]);
    expect(result.status).toBe('spam');
    expect(result.verdicts.map((v) => v.code)).toEqual(['a_code', 'c_code', 'd_code']);
    expect(runFilters(filterInput(), [fixed('a', 'hold'), fixed('d', 'reject')]).status).toBe('rejected');
    expect(runFilters(filterInput(), [fixed('a', 'approve'), fixed('b', 'hold')]).status).toBe('pending');
  });

  it('holds the comment when a filter throws, naming the filter', () => {
    const broken: Filter = {
      name: 'broken',
      run: () => {
        throw new Error('boom');
      },
    };
    const result = runFilters(filterInput(), [fixed('a', null), broken]);
    expect(result.status).toBe('pending');
    expect(result.verdicts).toEqual([
      expect.objectContaining({ action: 'hold', code: 'filter_failed', data: { filter: 'broken', error: 'boom' } }),
    ]);
  });

  it('runs every registered filter, each with a distinct name', () => {
    const names = FILTERS.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(
      expect.arrayContaining([
        'honeypot',
        'time-trap',
        'blocked-email',
        'blocked-domain',
        'blocked-ip',
        'blocked-words',
        'hold-words',
        'profanity',
        'link-count',
        'shouting',
        'repeated-chars',
        'trust',
      ]),
    );
  });

  it('combines real filters: a spam trap outranks profanity and trust', () => {
    const result = runFilters(
      filterInput({
        comment: { body: 'What a load of sh1t', website: 'http://spam.example' },
        settings: { moderation: 'all' },
      }),
    );
    expect(result.status).toBe('spam');
    expect(result.verdicts.map((v) => v.code)).toEqual(['honeypot', 'profanity', 'moderation_all']);
  });

  it('never throws on any text, and every recorded match lies inside its field', () => {
    const text = (maxLength: number) =>
      fc.oneof(
        fc.string({ unit: 'binary', maxLength }),
        fc.string({ unit: 'grapheme', maxLength }),
        fc.string({ maxLength }),
      );
    const settings = {
      blockedWords: ['casino', 'ü', '💥'],
      holdWords: ['.', '(a+)+$'],
      profanityWords: ['frak'],
      blockedIps: ['10.0.0.0/8'],
      shoutingMinLetters: 5,
    };
    fc.assert(
      fc.property(
        text(60),
        text(400),
        text(80),
        fc.option(fc.integer()),
        fc.option(text(20)),
        (name, body, userAgent, renderedAt, website) => {
          const input = filterInput({ comment: { name, body, renderedAt, website }, request: { userAgent }, settings });
          const result = runFilters(input);
          expect(result.verdicts.map((v) => v.code)).not.toContain('filter_failed');
          const fields: Record<string, string | null> = {
            name,
            body,
            userAgent,
            email: input.comment.email,
            ip: input.request.ip,
          };
          for (const verdict of result.verdicts) {
            const matches = (verdict.data?.matches ?? []) as {
              field: string;
              start: number;
              end: number;
              text: string;
            }[];
            for (const m of matches) {
              const value = fields[m.field]!;
              expect(m.start).toBeGreaterThanOrEqual(0);
              expect(m.end).toBeGreaterThan(m.start);
              expect(m.end).toBeLessThanOrEqual(value.length);
              expect(value.slice(m.start, m.end)).toBe(m.text);
            }
          }
        },
      ),
      { numRuns: 1500 },
    );
  });
});

describe('preparing filters for a site', () => {
  it('compiles every list when settings are saved or loaded, so comments find them compiled', () => {
    const lists = {
      blockedWords: ['frak'],
      holdWords: ['gorram'],
      profanityWords: ['smeg'],
      blockedIps: ['203.0.113.0/24'],
    };
    const settings = filterInput({ settings: lists }).settings;
    const before = compilations();
    prepareFilters(settings);
    const compiled = compilations() - before;
    expect(compiled).toBeGreaterThanOrEqual(4);
    // The comment pays for no compile; nor does the same content loaded again as a new object.
    const result = runFilters({ ...filterInput({ comment: { body: 'frak this smeg' } }), settings });
    expect(result.verdicts.map((v) => v.code)).toEqual(['blocked_ip', 'blocked_word', 'profanity']);
    expect(compilations() - before).toBe(compiled);
    prepareFilters(filterInput({ settings: lists }).settings);
    expect(compilations() - before).toBe(compiled);
  });
});

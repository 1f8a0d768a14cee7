// The CPU a comment body costs before anything else looks at it: every filter of the pipeline plus
// the public HTML rendering, for hostile bodies (disguised profanity, separators everywhere, one link
// and thousands of punctuation marks, invisible characters) against ordinary text of the same length
// and a short comment; at 1k, 10k and 100k characters to show the cost grows with the length and no
// faster. Also the time to compile the largest word lists a site may save. Part of npm run bench.
import { renderBodyHtml } from '../src/comments/public-comment.ts';
import type { FilterInput } from '../src/filters/filter.ts';
import { LiteralMatcher } from '../src/filters/literal-matcher.ts';
import { runFilters } from '../src/filters/pipeline.ts';
import { buildProfanityMatcher } from '../src/filters/profanity/profanity-matcher.ts';
import { MAX_LIST_ENTRIES, MAX_WORD_CHARS } from '../src/sites/filter-settings.ts';
import { type SiteSettings, siteSettingsSchema } from '../src/sites/site-settings.ts';

const repeatTo = (unit: string, n: number) => unit.repeat(Math.ceil(n / unit.length)).slice(0, n);

const HOSTILE: Record<string, (n: number) => string> = {
  'f.u.c.k repeated': (n) => repeatTo('f.u.c.k ', n),
  'fuck joined (one word)': (n) => repeatTo('fuck', n),
  'leet joined f0ck5h1t': (n) => repeatTo('f0ck5h1t', n),
  'leet words sh1t f0ck': (n) => repeatTo('sh1t f0ck ', n),
  'homoglyphs joined': (n) => repeatTo('fυсκѕһіт', n),
  'homoglyph words': (n) => repeatTo('fυсκ ѕһіт ', n),
  'a repeated': (n) => 'a'.repeat(n),
  'zero-width only': (n) => '\u200b'.repeat(n),
  'zero-width in words': (n) => repeatTo('f\u200bu\u200bc\u200bk ', n),
  'link + punctuation + x': (n) => `https://spam.example/${'.'.repeat(Math.max(0, n - 23))}x`,
  '"<a " repeated': (n) => repeatTo('<a ', n),
  'stars f*f*f*': (n) => repeatTo('f*', n),
  'near misses fuc sh1 b1tc': (n) => repeatTo('fuc sh1 b1tc cvn7 ', n),
  'mixed scripts and marks': (n) => repeatTo('ƒ\u0301υ\u0308с\u200dκ ｓｈｉｔ 𝐟𝐮𝐜𝐤 ', n),
};

/** A deterministic pseudo-random list entry of `length` letters (site lists are whatever sites type). */
function entry(i: number, length: number): string {
  let x = (i + 1) * 2654435761;
  let out = '';
  for (let k = 0; k < length; k++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out += String.fromCharCode(97 + ((x >>> 16) % 26));
  }
  return out;
}
/** The largest list the settings accept: MAX_LIST_ENTRIES entries of MAX_WORD_CHARS characters. */
const maxList = (salt: number) => Array.from({ length: MAX_LIST_ENTRIES }, (_, i) => entry(i + salt, MAX_WORD_CHARS));
/**
 * The old automaton's worst case: "a", "aa", … up to 100 a's, and entries ending in long runs of a,
 * so almost every node ends a hundred shorter entries (it copied them all into every node).
 */
const nestedList = () =>
  Array.from({ length: MAX_LIST_ENTRIES }, (_, i) =>
    i < MAX_WORD_CHARS ? 'a'.repeat(i + 1) : entry(i, 3 + (i % 3)) + 'a'.repeat(MAX_WORD_CHARS - 5),
  );

const cpuMs = (f: () => void) => {
  const start = process.cpuUsage();
  f();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Microseconds of CPU per call: repeated until `budgetMs` of CPU, median of `rounds`. */
function microseconds(f: () => void, rounds: number, budgetMs: number): number {
  f();
  const out: number[] = [];
  for (let r = 0; r < rounds; r++) {
    let calls = 0;
    const start = process.cpuUsage();
    let used = 0;
    while (used < budgetMs * 1000) {
      f();
      calls++;
      const d = process.cpuUsage(start);
      used = d.user + d.system;
    }
    out.push(used / calls);
  }
  return median(out);
}

function inputFor(settings: SiteSettings, body: string): FilterInput {
  return {
    comment: { name: 'A reader', email: 'reader@example.com', body, website: null, renderedAt: null, parentId: null },
    request: { ip: '203.0.113.7', userAgent: 'Mozilla/5.0 (X11; Linux x86_64)' },
    author: { approved: 1, pending: 0, rejected: 0, spam: 0 },
    settings,
    now: Date.now(),
  };
}

export function benchHostileBodies(ordinaryText: string, shortComment: string, rounds: number): void {
  const ordinary = (n: number) => repeatTo(`${ordinaryText}\n\n`, n);
  const settings = {
    default: siteSettingsSchema.parse({}),
    'max lists': siteSettingsSchema.parse({
      blockedWords: maxList(1),
      holdWords: maxList(2),
      profanityWords: maxList(3),
      profanityExceptions: maxList(4),
    }),
  };
  for (const [label, s] of Object.entries(settings)) {
    const cost = (body: string) =>
      microseconds(
        () => {
          runFilters(inputFor(s, body));
          renderBodyHtml(body);
        },
        rounds,
        40,
      );
    const short = cost(shortComment);
    const base = [1_000, 10_000, 100_000].map((n) => cost(ordinary(n)));
    console.log(`\nBody cost, settings: ${label} (every filter + HTML rendering; µs of CPU, median of ${rounds})`);
    console.log(`short comment (${shortComment.length} chars): ${short.toFixed(1)} µs`);
    console.log(
      'body                          1k µs     10k µs    100k µs   10k vs ordinary 10k  100k/10k   10k vs short comment',
    );
    const row = (name: string, us: number[]) =>
      console.log(
        `${name.padEnd(26)} ${us.map((u) => u.toFixed(0).padStart(9)).join(' ')}   ${(us[1]! / base[1]!).toFixed(2).padStart(8)}x           ${(us[2]! / us[1]!).toFixed(1).padStart(5)}   ${(us[1]! / short).toFixed(1).padStart(8)}x`,
      );
    row('ordinary text', base);
    let worst = 0;
    let worstUs = 0;
    for (const [name, make] of Object.entries(HOSTILE)) {
      const us = [1_000, 10_000, 100_000].map((n) => cost(make(n)));
      worst = Math.max(worst, us[1]! / base[1]!);
      worstUs = Math.max(worstUs, us[1]!);
      row(name, us);
    }
    console.log(
      `ordinary 10k vs short: ${(base[1]! / short).toFixed(1)}x the time for ${(10_000 / shortComment.length).toFixed(0)}x the characters (per character ${(base[1]! / 10_000 / (short / shortComment.length)).toFixed(2)}x); worst hostile 10k vs ordinary 10k: ${worst.toFixed(2)}x (goal 3x)`,
    );
    console.log(
      `hostile 10k body vs short comment: ${worstUs.toFixed(0)} µs vs ${short.toFixed(1)} µs = ${(worstUs / short).toFixed(1)}x (a flooded client pays neither: flood control runs first)`,
    );
  }
}

export function benchCompile(rounds: number): void {
  const lists = { random: maxList(7), nested: nestedList() };
  console.log(
    `\nCompiling the largest lists a site may save (${MAX_LIST_ENTRIES} x ${MAX_WORD_CHARS} characters), ms of CPU, median of ${rounds}`,
  );
  const exceptions = maxList(9);
  const show = (xs: number[]) => `${median(xs).toFixed(1)} ms (best ${Math.min(...xs).toFixed(1)})`;
  for (const [name, list] of Object.entries(lists)) {
    const literal = Array.from({ length: rounds }, () => cpuMs(() => new LiteralMatcher(list)));
    const profanity = Array.from({ length: rounds }, () => cpuMs(() => buildProfanityMatcher(list, exceptions)));
    console.log(
      `${name.padEnd(7)} list: block/hold words ${show(literal)}; profanity words + as many exceptions ${show(profanity)}`,
    );
  }
}

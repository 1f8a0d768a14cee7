import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { badWordsList, defaultDictionary, EXCLUDED_WORDS, stem } from '../../../src/filters/profanity/dictionary.ts';
import { WordMatcher } from '../../../src/filters/profanity/matcher.ts';
import { codesToString, normaliseWord } from '../../../src/filters/profanity/normalise.ts';
import { buildProfanityMatcher, defaultProfanityMatcher } from '../../../src/filters/profanity/profanity-matcher.ts';

const matcher = defaultProfanityMatcher();
const words = (text: string, inName = false) => matcher.findAll(text, { inName }).map((m) => m.word);
const key = (w: string) => codesToString(normaliseWord(w).codes);

describe('profanity matcher', () => {
  it('is built from the bad-words list: every word is found, unless deliberately left out', () => {
    const excluded = new Set(EXCLUDED_WORDS.map(key));
    const list = badWordsList();
    expect(list.length).toBeGreaterThan(800);
    const kept = list.filter((w) => !excluded.has(key(stem(w))));
    expect(kept.length).toBeGreaterThan(600);
    expect(kept.filter((w) => matcher.findAll(w).length === 0)).toEqual([]);
  });

  it('records the word and where it is in the original text', () => {
    const text = 'What the f.u.c.k is this';
    expect(matcher.findAll(text)).toEqual([{ word: 'fuck', start: 9, end: 16 }]);
    expect(text.slice(9, 16)).toBe('f.u.c.k');
    const astral = 'oh 𝐬𝐡𝐢𝐭';
    const [m] = matcher.findAll(astral);
    expect(astral.slice(m!.start, m!.end)).toBe('𝐬𝐡𝐢𝐭');
    const hidden = 'x fu\u200Bck y';
    const [h] = matcher.findAll(hidden);
    expect(hidden.slice(h!.start, h!.end)).toBe('fu\u200Bck');
  });

  it('finds several words in order, each once', () => {
    expect(words('shit, fuck and more shit; a bitch')).toEqual(['shit', 'fuck', 'shit', 'bitch']);
    expect(matcher.findAll('fuck '.repeat(100), { limit: 5 })).toHaveLength(5);
  });

  it('matches most words only as whole words or plurals', () => {
    expect(words('dick dicks Dickens Dickinson dickey')).toEqual(['dick', 'dick']);
    expect(words('cock cocks cocktail cockpit peacock Hancock')).toEqual(['cock', 'cock']);
    expect(words('ass asses assess assassin class Assam')).toEqual(['ass', 'ass']);
    expect(words('japs japes Japan')).toEqual(['jap']);
  });

  it('finds strong words inside longer words where the dictionary allows it', () => {
    expect(words('clusterfuck unfuckingbelievable')).toEqual(['fuck', 'fuck']);
    expect(words('bullshit bullshitting horseshit shithole')).toEqual(['bullshit', 'shit', 'shit', 'shit']);
    expect(words('sonofabitch bitchy')).toEqual(['bitch', 'bitch']);
    // ... but not in the middle of innocent words, nor in listed innocent ones.
    expect(words('Scunthorpe Yoshitaka Matsushita shiitake mishit Dikshit snigger niggardly')).toEqual([]);
  });

  it('takes stretched letters, and a doubled letter only where no innocent word is one letter away', () => {
    expect(words('fuuuuck shiiiit fuuck shiit asssss')).toEqual(['fuck', 'shit', 'fuck', 'shit', 'ass']);
    expect(words('but cook niger')).toEqual([]);
  });

  it('reads hidden letters, within reason', () => {
    expect(words('f*ck sh*t f**k c*nt a**hole')).toEqual(['fuck', 'shit', 'fuck', 'cunt', 'asshole']);
    expect(words('a* *** f***** C# 5*3')).toEqual([]);
  });

  it('finds phrases across separators, and single-letter words only when spelled out', () => {
    expect(words('son-of-a-bitch')).toEqual(['son of a bitch']);
    expect(words('a sob story')).toEqual([]);
    expect(words('what an s.o.b.')).toEqual(['sob']);
  });

  it('leaves common names alone in the name field, not in the body', () => {
    expect(words('Dick Smith', true)).toEqual([]);
    expect(words('Dick Smith')).toEqual(['dick']);
    expect(words('Shit Head', true)).toEqual(['shit']);
  });

  it('leaves a short root at the start of a name alone, unless the rest is profane or disguised', () => {
    // English villages, Galician and Russian towns, a French one, a Japanese surname.
    expect(words('Shitterton Bitchfield Shittlehope Shitlington Twatt Cuntis Shitkino Bitche Shitara')).toEqual([]);
    expect(words('shitty shitstorm cuntface twatwaffle bitchslap shitheads shitfaced whoredom')).toEqual([
      'shitty',
      'shit',
      'cunt',
      'twat',
      'bitch',
      'shithead',
      'shit',
      'whore',
    ]);
    // Nobody writes a place name in leetspeak.
    expect(words('sh1tkino $hitterton b!tchfield')).toEqual(['shit', 'shit', 'bitch']);
  });

  it('reads a vowel written as a digit or symbol as another vowel, in words found anywhere only', () => {
    expect(words('motherf0cker f0ck1ng f@ck clusterf0ck')).toEqual(['motherfuck', 'fuck', 'fuck', 'fuck']);
    // "shot", "content", "botch", "cook" in leetspeak.
    expect(words('sh0t c0nt3nt b0tch c00k l33t h4x0r')).toEqual([]);
  });

  it('takes a misspelling written with accents as the language it is written in', () => {
    // A Vietnamese name, Spanish, Romanian and Swedish places.
    expect(words('Nguyễn Xuân Phúc, Peñas, Făget, Höör')).toEqual([]);
    expect(words('phuc penas faget')).toEqual(['phuc', 'penas', 'faget']);
    // English words with marks on are disguises, however the marks are typed.
    expect(words('fück shït cünt f\u0301uck')).toEqual(['fuck', 'shit', 'cunt', 'fuck']);
  });

  it('reads doubled letters written two ways, and doubled letters in long words', () => {
    expect(words('bel|end bo1|ocks jaackass ttosser')).toEqual(['bellend', 'bollock', 'jackass', 'tosser']);
    // English words a doubled letter makes from a listed one: a fish, and knobbed.
    expect(words('pollack knobbed')).toEqual([]);
  });

  it('does work in proportion to the text, whatever the text (trie steps counted)', () => {
    const units = [
      'f.u.c.k ',
      'fuck',
      'shit',
      'fυсκѕһіт',
      'sh1t f0ck ',
      '1a',
      'a!',
      'f**k',
      'f0f@f1f3',
      'motherf0cker',
    ];
    const stepsPerChar = (unit: string, n: number) => {
      const text = unit.repeat(Math.ceil(n / unit.length)).slice(0, n);
      const before = matcher.steps;
      matcher.findAll(text, { limit: Number.MAX_SAFE_INTEGER });
      return (matcher.steps - before) / n;
    };
    for (const unit of units) {
      const short = stepsPerChar(unit, 1_000);
      const long = stepsPerChar(unit, 100_000);
      expect(long, unit).toBeLessThanOrEqual(3);
      expect(long, unit).toBeLessThanOrEqual(short * 1.05 + 0.01);
    }
  });

  it('compiles the bundled dictionary once and reuses it', () => {
    expect(defaultProfanityMatcher()).toBe(matcher);
    expect(matcher.size).toBeGreaterThan(400);
  });

  it("takes a site's additions and exceptions", () => {
    const site = buildProfanityMatcher(['frak', 'gorram'], ['crap', 'cocktail']);
    expect(site.findAll('frak this gorram crap').map((m) => m.word)).toEqual(['frak', 'gorram']);
    // Additions get the same evasion handling.
    expect(site.findAll('FR4K f.r.a.k').map((m) => m.word)).toEqual(['frak', 'frak']);
    expect(defaultProfanityMatcher().findAll('crap')).toHaveLength(1);
  });

  it('matches words of scripts without spaces inside longer text', () => {
    const site = new WordMatcher(
      [...defaultDictionary(), { word: '他妈的', mode: 'anywhere', looseDoubles: false, notInNames: false }],
      [],
    );
    expect(site.findAll('你他妈的在干什么').map((m) => m.word)).toEqual(['他妈的']);
  });

  it('never throws and keeps every match inside the text, whatever the text', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.string({ unit: 'grapheme', maxLength: 200 })),
        (text) => {
          for (const m of matcher.findAll(text)) {
            expect(m.start).toBeGreaterThanOrEqual(0);
            expect(m.end).toBeGreaterThan(m.start);
            expect(m.end).toBeLessThanOrEqual(text.length);
          }
        },
      ),
      { numRuns: 2000 },
    );
    // Profanity spliced into random text is still found, at the right place.
    fc.assert(
      fc.property(fc.string({ maxLength: 50 }), fc.string({ maxLength: 50 }), (before, after) => {
        const text = `${before} fuck ${after}`;
        const found = matcher.findAll(text).filter((m) => m.word === 'fuck' && text.slice(m.start, m.end) === 'fuck');
        expect(found.length).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: 1000 },
    );
  });
});

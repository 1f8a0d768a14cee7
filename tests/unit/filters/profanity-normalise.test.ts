import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalise } from '../../../src/filters/profanity/normalise.ts';

const folded = (text: string) => normalise(text).text;

describe('profanity normalisation', () => {
  it('folds case, accents, full-width, mathematical and enclosed letters', () => {
    expect(folded('FuCk')).toBe('fuck');
    expect(folded('fück çà')).toBe('fuck ca');
    expect(folded('ｆｕｃｋ')).toBe('fuck');
    expect(folded('𝐟𝐮𝐜𝐤 𝓯𝓾𝓬𝓴 𝕗𝕦𝕔𝕜')).toBe('fuck fuck fuck');
    expect(folded('ⓕⓤⓒⓚ')).toBe('fuck');
    expect(folded('İstanbul Straße ﬁne')).toBe('istanbul strasse fine');
  });

  it('reads look-alike letters from Cyrillic, Greek and other scripts as Latin', () => {
    expect(folded('ѕһіт')).toBe('shit');
    expect(folded('ƒυϲκ')).toBe('fuck');
    expect(folded('сunt bіtch')).toBe('cunt bitch');
    expect(folded('ʙɪᴛᴄʜ')).toBe('bitch');
  });

  it('drops zero-width and invisible characters inside words', () => {
    expect(folded('fu\u200Bck sh\u200Cit c\u200Dunt bi\u2060tch f\u00ADuck as\uFEFFs')).toBe(
      'fuck shit cunt bitch fuck ass',
    );
    expect(folded('wa\u034Fnker e\u0301')).toBe('wanker e');
  });

  it('reads digits and symbols inside words as letters, but leaves numbers alone', () => {
    expect(folded('sh1t a$$ @ss b!+ch 5h1t')).toBe('shit ass ass bitch shit');
    expect(folded('the vote was 455 to 12, $100 in total')).toBe('the vote was to in total');
    // A lone digit may be a letter between separators.
    expect(folded('5 h 1 t')).toBe('shit');
    expect(folded('shit!!! what the hell!')).toBe('shit what the hell');
  });

  it('joins single letters split by the same separator, and only those', () => {
    expect(folded('f.u.c.k')).toBe('fuck');
    expect(folded('f u c k off')).toBe('fuck off');
    expect(folded('f-u-c-k f_u_c_k f/u/c/k f. u. c. k.')).toBe('fuck fuck fuck fuck');
    expect(folded('f*u*c*k')).toBe('fuck');
    expect(folded('x f.u.c.k y z')).toBe('x fuck y z');
    expect(folded('e.g. U.S.A.')).toBe('e g usa');
    expect(folded('a b')).toBe('a b');
    expect(folded('a\nb\nc')).toBe('a b c');
  });

  it('keeps hidden letters inside words and drops emphasis around them', () => {
    expect(folded('f*ck sh#t f%ck')).toBe('f*ck sh*t f*ck');
    expect(folded('*really* **bold**')).toBe('really bold');
  });

  it('maps every folded character back to its span of the original text', () => {
    const text = 'Well, F.U.C.K 𝐭𝐡𝐢𝐬!';
    const { text: out, spans } = normalise(text);
    expect(out).toBe('well fuck this');
    const fuck = out.indexOf('fuck');
    expect(text.slice(spans[fuck]!.start, spans[fuck + 3]!.end)).toBe('F.U.C.K');
    const t = out.indexOf('this');
    expect(text.slice(spans[t]!.start, spans[t + 3]!.end)).toBe('𝐭𝐡𝐢𝐬');
  });

  it('never throws and keeps every span inside the original, whatever the text', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 300 }),
          fc.string({ unit: 'grapheme', maxLength: 200 }),
          fc.string({ maxLength: 300 }),
        ),
        (text) => {
          const { text: out, spans } = normalise(text);
          expect(spans).toHaveLength(out.length);
          for (const span of spans) {
            expect(span.start).toBeGreaterThanOrEqual(0);
            expect(span.end).toBeGreaterThanOrEqual(span.start);
            expect(span.end).toBeLessThanOrEqual(text.length);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});

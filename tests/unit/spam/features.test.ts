import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FeatureExtractor, findLinkHosts, hostShape, linkDomains, withoutEmails } from '../../../src/spam/features.ts';
import { labelKey, TokenBuffer } from '../../../src/spam/token-keys.ts';
import { comment, features, hashPersonal } from './spam-fixtures.ts';

const extractor = new FeatureExtractor(features);
const labels = (body: string, extra = {}) => extractor.labels(comment(body, extra));

describe('spam features: body words', () => {
  it('folds case, accents, full-width forms and invisible characters', () => {
    const tokens = labels('Café RÉSUMÉ ｆｕｌｌ na\u200bive');
    expect(tokens).toEqual(expect.arrayContaining(['cafe', 'resume', 'full', 'naive', 'u:resume']));
    expect(tokens).not.toContain('café');
  });

  it('reads disguised words as the words they imitate', () => {
    for (const [body, word] of [
      ['buy v1agr@ today', 'viagra'],
      ['get c.i.a.l.i.s here', 'cialis'],
      ['it is f r e e', 'free'],
      ['try v-i-a-g-r-a', 'viagra'],
      ['so freeeeee', 'free'],
      ['v\u0456agra', 'viagra'], // Cyrillic і
    ] as const)
      expect(labels(body), body).toContain(word);
    expect(labels('buy v1agr@ today')).toEqual(expect.arrayContaining(['g:^via', 'g:agra', 'g:gra$']));
  });

  it('leaves ordinary words, numbers and mixed codes alone', () => {
    const tokens = labels('In 1000 years, b2b mp3 www e-mail for $250');
    expect(tokens).toEqual(expect.arrayContaining(['####', 'b2b', 'mp3', 'www', 'e-mail', '$###']));
    expect(tokens.filter((t) => t.startsWith('g:'))).toEqual([]);
    expect(tokens).not.toContain('ioo');
  });

  it('keeps word pairs and marks long words', () => {
    const tokens = labels(`click here ${'x'.repeat(40)}`);
    expect(tokens).toEqual(expect.arrayContaining(['b:click here', 'x:long:40']));
  });
});

describe('spam features: links and simple features', () => {
  it('finds link domains in the body, with the registrable domain', () => {
    expect(findLinkHosts('see https://www.shop.example.co.uk/x and www.other.example, not ab://x')).toEqual([
      'www.shop.example.co.uk',
      'www.other.example',
    ]);
    expect(linkDomains('www.shop.example.co.uk')).toEqual(['shop.example.co.uk', 'example.co.uk']);
    expect(linkDomains('localhost')).toEqual([]);
    const tokens = labels('see https://www.shop.example.co.uk/x');
    expect(tokens).toEqual(expect.arrayContaining(['d:shop.example.co.uk', 'd:example.co.uk', 'f:links:1']));
  });

  it('reads what a host looks like, when asked (link shape tokens)', () => {
    expect(hostShape('www.cheap-meds4u.biz')).toEqual(['t:biz', 'f:link-digits', 'f:link-hyphen']);
    expect(hostShape('a.b.shop.example.co.uk')).toEqual(['t:uk', 'f:link-deep']);
    expect(hostShape('shop.example.com')).toEqual(['t:com']);
    expect(hostShape('192.168.0.1')).toEqual(['f:link-ip']);
    expect(hostShape('localhost')).toEqual([]);
    const body = 'see http://www.cheap-meds4u.biz/x';
    expect(labels(body)).not.toContain('t:biz');
    const shaped = new FeatureExtractor({ ...features, linkShape: true }).labels(comment(body));
    expect(shaped).toEqual(expect.arrayContaining(['d:cheap-meds4u.biz', 't:biz', 'f:link-digits', 'f:link-hyphen']));
  });

  it('uses the links the caller found instead, and bins counts, length, capitals and history', () => {
    const tokens = labels(`${'A'.repeat(10)} WHY IS EVERYTHING IN CAPITALS HERE`, {
      links: ['http://a.example/', 'https://b.example/x', 'http://c.example', 'http://d.example'],
      authorHistory: { approved: 3, spam: 1 },
    });
    expect(tokens).toEqual(
      expect.arrayContaining([
        'd:a.example',
        'f:links:3',
        'f:length:0',
        'f:caps:60',
        'f:author-approved:2',
        'f:author-spam:1',
      ]),
    );
  });
});

describe('spam features: the shape of the text', () => {
  it('bins capitals lines, exclamation marks, amounts, percentages and foreign characters', () => {
    const tokens = labels('BUY NOW!!!\nONLY $5 TODAY\nsave 75% on 10 % more\n\n> quoted\n______________');
    expect(tokens).toEqual(
      expect.arrayContaining([
        's:capslines:30',
        's:excl:3',
        's:money:1',
        's:percent:1',
        's:foreign:0',
        's:lines:3',
        's:blank:0',
        's:quote',
        's:rule',
        's:run',
      ]),
    );
    expect(tokens).not.toContain('s:html');
    const plain = labels('a quiet reply about the article');
    expect(plain).toEqual(expect.arrayContaining(['s:capslines:0', 's:excl:0', 's:lines:0']));
    expect(plain.filter((t) => /^s:(html|cjk|quote|rule|run)$/.test(t))).toEqual([]);
  });

  it('marks markup, CJK text and a high share of characters outside ASCII', () => {
    expect(labels('<b>bold</b> &nbsp; text')).toContain('s:html');
    expect(labels('a < b and 3<4')).not.toContain('s:html');
    const cjk = labels('供手机短信息包月卡和短信息群发软件');
    expect(cjk).toEqual(expect.arrayContaining(['s:cjk', 's:foreign:20']));
  });
});

describe('spam features: personal data', () => {
  it('hashes every token derived from the name and the email, keeping only the email domain', () => {
    const tokens = labels('Hello there', { name: 'Jane Doe', email: 'Jane.Doe@Example.org' });
    const joined = tokens.join(' ');
    for (const raw of ['jane', 'doe', 'Jane', 'Doe']) expect(joined).not.toContain(raw);
    expect(tokens).toContain('e:example.org');
    expect(tokens).toContain(`m:${hashPersonal('email:jane.doe@example.org').slice(0, 16)}`);
    expect(tokens).toContain(`n:${hashPersonal('name:jane').slice(0, 16)}`);
    expect(tokens).toContain(`n:${hashPersonal('name:doe').slice(0, 16)}`);
    expect(tokens.filter((t) => t.startsWith('n:'))).toHaveLength(2);
  });

  it("takes the caller's email hash when given", () => {
    const tokens = labels('Hello', { emailHash: 'ab'.repeat(32) });
    expect(tokens).toContain(`m:${'ab'.repeat(8)}`);
  });

  it('turns an email address written in the body into one token, none of its parts', () => {
    const tokens = labels('write to bob.smith@mail.example.com today', { email: '' });
    expect(tokens).toContain('x:email');
    expect(tokens.join(' ')).not.toMatch(/\bbob|smith|\bmail|example|\bcom\b/);
    expect(tokens).toEqual(expect.arrayContaining(['write', 'today', 'b:write to']));
    expect(labels('visit our c@sino tonight')).toContain('casino');
    expect(withoutEmails('mail jo.ann+x@mail.example.co.uk, or a@b or @x.y or z@.com')).toBe(
      'mail  , or a@b or @x.y or z@.com',
    );
  });
});

describe('spam features: keys', () => {
  it('computes the same key from characters as from the stored label', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.string({ maxLength: 30 }), (body, name) => {
        const out = new TokenBuffer(true);
        extractor.extract(comment(body, { name }), out);
        expect(out.labels).toHaveLength(out.count);
        for (let i = 0; i < out.count; i++) {
          expect([out.h1[i], out.h2[i]]).toEqual(labelKey(out.labels![i]!));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('is deterministic: the same comment gives the same tokens, with or without labels', () => {
    const body = 'Cheap V1AGRA at http://x.example now!!! f r e e';
    const a = new TokenBuffer();
    const b = new TokenBuffer(true);
    extractor.extract(comment(body), a);
    extractor.extract(comment(body), b);
    expect(Array.from(a.h1.subarray(0, a.count))).toEqual(Array.from(b.h1.subarray(0, b.count)));
    expect(labels(body)).toEqual(new FeatureExtractor(features).labels(comment(body)));
  });
});

describe('spam features: hostile input', () => {
  it('reads any text, however odd, into a bounded number of tokens', () => {
    const bodies = [
      'awww.'.repeat(2000),
      'f r e e '.repeat(1250),
      '\u0000\uD800x\uDC00\u200b\u202e'.repeat(2000),
      'a'.repeat(10_000),
      'http://'.repeat(1400),
      '@.'.repeat(5000),
    ];
    const out = new TokenBuffer(true);
    for (const body of bodies) {
      extractor.extract(comment(body), out);
      expect(out.count, body.slice(0, 10)).toBeLessThan(body.length * 4);
      expect(out.labels).toHaveLength(out.count);
    }
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (body) => {
        extractor.extract(comment(body), out);
        expect(out.count).toBeLessThan(body.length * 6 + 20);
      }),
    );
  });
});

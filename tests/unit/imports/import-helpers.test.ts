// The small pure pieces: remap rules, the progress line, dates, cleaning, format detection,
// JSON lines framing.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cleanEmail, cleanIp, cleanLine, cleanWebsite } from '../../../src/imports/clean-text.ts';
import { parseIsoDate, parseUnixSeconds, parseWordPressDate } from '../../../src/imports/dates.ts';
import { detectFormat } from '../../../src/imports/detect-format.ts';
import { readJsonLines } from '../../../src/imports/json-lines.ts';
import { parseImport } from '../../../src/imports/parse-import.ts';
import { createProgress, formatProgress } from '../../../src/imports/progress.ts';
import { parseRemapRules, remapUrl } from '../../../src/imports/remap.ts';
import { cdata, xmlText } from '../../../src/imports/xml-escape.ts';
import { ValidationError } from '../../../src/shared/errors.ts';
import { fixture } from './records.ts';

describe('--remap rules', () => {
  const rules = parseRemapRules(`
    # moved from the old blog host
    http://old.example.com/blog/ => https://example.com/
    ~^https?://example\\.com/\\?p=(\\d+)$ => https://example.com/p/$1
    ~/amp/$ => /
  `);

  it('applies the first matching rule; prefix rules replace the prefix, regex rules the match', () => {
    expect(remapUrl(rules, 'http://old.example.com/blog/2020/hello/')).toBe('https://example.com/2020/hello/');
    expect(remapUrl(rules, 'http://example.com/?p=42')).toBe('https://example.com/p/42');
    expect(remapUrl(rules, 'https://example.com/story/amp/')).toBe('https://example.com/story/');
    expect(remapUrl(rules, 'https://elsewhere.example/')).toBe('https://elsewhere.example/');
  });

  it('names the line of a bad rule', () => {
    const bad = (text: string) => {
      try {
        parseRemapRules(text);
      } catch (err) {
        expect(err).toBeInstanceOf(ValidationError);
        return (err as Error).message;
      }
      throw new Error('expected a ValidationError');
    };
    expect(bad('a => b\nno arrow here')).toBe('Remap rule on line 2: expected "old => new", got "no arrow here".');
    expect(bad(' => b')).toBe('Remap rule on line 1: expected "old => new", got "=> b".');
    expect(bad('\n\n~(unclosed => x')).toMatch(/^Remap rule on line 3: invalid regex: /);
  });

  it('runs regexes in linear time (RE2): a classic catastrophic pattern is harmless', () => {
    const [rule] = parseRemapRules('~^(a+)+$ => x');
    expect(remapUrl([rule!], `${'a'.repeat(50_000)}!`)).toBe(`${'a'.repeat(50_000)}!`);
    expect(() => parseRemapRules('~(?<=x)y => z')).toThrow(ValidationError);
  });
});

describe('progress line', () => {
  it('shows done, total when known, rate, bytes and time', () => {
    expect(
      formatProgress({ done: 12_345, total: 50_000, bytes: 47_400_000, totalBytes: 125_829_120, elapsedMs: 3_000 }),
    ).toBe('12,345 of 50,000 comments (24%) · 4,115/s · 45.2 MB of 120.0 MB (37%) · 0:03');
    expect(
      formatProgress({ done: 10, total: null, bytes: null, totalBytes: null, elapsedMs: 3_725_000, unit: 'records' }),
    ).toBe('10 records · 0/s · 1:02:05');
    expect(formatProgress({ done: 0, total: 0, bytes: 512, totalBytes: null, elapsedMs: 0 })).toBe(
      '0 comments · 0/s · 0.5 KB · 0:00',
    );
  });

  it('draws on a terminal at most every interval, and nothing elsewhere', () => {
    let clock = 0;
    const tty = {
      isTTY: true,
      out: [] as string[],
      write(t: string) {
        this.out.push(t);
      },
    };
    const p = createProgress(tty, { now: () => clock, intervalMs: 100 });
    p.update(1);
    clock = 50;
    p.update(2);
    clock = 150;
    p.update(3, 10, 100);
    p.finish();
    expect(tty.out).toEqual([
      '\r1 comments · 0/s · 0:00\u001b[K',
      '\r3 comments · 20/s · 0.0 KB of 0.1 KB (10%) · 0:00\u001b[K',
      '\r3 comments · 20/s · 0.0 KB of 0.1 KB (10%) · 0:00\u001b[K',
      '\n',
    ]);
    const pipe = {
      isTTY: false,
      out: [] as string[],
      write(t: string) {
        this.out.push(t);
      },
    };
    const q = createProgress(pipe);
    q.update(5);
    q.finish();
    expect(pipe.out).toEqual([]);
  });
});

describe('dates', () => {
  it('reads WordPress dates as UTC and refuses the zero date and impossible days', () => {
    expect(parseWordPressDate('2024-01-08 10:00:00')).toEqual(new Date('2024-01-08T10:00:00Z'));
    expect(parseWordPressDate('0000-00-00 00:00:00')).toBeNull();
    expect(parseWordPressDate('2020-02-31 00:00:00')).toBeNull();
    expect(parseWordPressDate('2020-01-01 25:00:00')).toBeNull();
    expect(parseWordPressDate('yesterday')).toBeNull();
  });

  it('reads ISO dates with or without a zone (none means UTC), and Unix seconds', () => {
    expect(parseIsoDate('2012-12-12T12:12:12')).toEqual(new Date('2012-12-12T12:12:12Z'));
    expect(parseIsoDate('2018-12-23T02:55:22.472041-06:00')).toEqual(new Date('2018-12-23T08:55:22.472Z'));
    expect(parseIsoDate('12/12/2012')).toBeNull();
    expect(parseUnixSeconds(1704708000.5)).toEqual(new Date('2024-01-08T10:00:00.500Z'));
    expect(parseUnixSeconds('x')).toBeNull();
    expect(parseUnixSeconds(-1)).toBeNull();
  });
});

describe('cleaning imported fields', () => {
  it('keeps real values and drops what could not be one', () => {
    expect(cleanLine(' a\u0000b \n c\u200b ')).toBe('a b c\u200b');
    expect(cleanEmail(' Ada@Example.org ')).toBe('Ada@Example.org');
    expect(cleanEmail('not an email')).toBeNull();
    expect(cleanIp('293ec5b0cf154855258824ec7fac5dc63d176915')).toBeNull();
    expect(cleanIp('::ffff:192.0.2.1')).toBe('::ffff:192.0.2.1');
    expect(cleanWebsite('javascript:alert(1)')).toBeNull();
    expect(cleanWebsite('https://ok.example/')).toBe('https://ok.example/');
  });

  it('escapes XML text and keeps CDATA exact', () => {
    expect(xmlText('a & <b> "c"\u0001')).toBe('a &amp; &lt;b&gt; &quot;c&quot;');
    expect(cdata('x]]>y]]>')).toBe('<![CDATA[x]]]]><![CDATA[>y]]]]><![CDATA[>]]>');
  });
});

describe('format detection', () => {
  it('recognises each fixture from its first bytes', () => {
    const head = (name: string) => readFileSync(fixture(name)).subarray(0, 4096);
    expect(detectFormat(head('wordpress-1.2.wxr.xml'))).toBe('wxr');
    expect(detectFormat(head('wordpress-1.0.wxr.xml'))).toBe('wxr');
    expect(detectFormat(head('disqus.xml'))).toBe('disqus');
    expect(detectFormat(head('remark42-backup.jsonl'))).toBe('remark42');
    expect(detectFormat(Buffer.from('{"format":"comments-export","version":1}'))).toBe('jsonl');
    expect(detectFormat(Buffer.from('SQLite format 3\u0000rest'))).toBe('isso');
    expect(detectFormat(Buffer.from('<html>'))).toBeNull();
  });
});

describe('parseImport', () => {
  it('hands each format to its parser', async () => {
    const first = async (format: Parameters<typeof parseImport>[0], name: string) => {
      for await (const r of parseImport(format, fixture(name))) return r;
    };
    expect(await first('wxr', 'wordpress-1.2.wxr.xml')).toMatchObject({ type: 'source', format: 'wxr' });
    expect(await first('disqus', 'disqus.xml')).toMatchObject({ type: 'source', format: 'disqus' });
    expect(await first('remark42', 'remark42-backup.jsonl')).toMatchObject({ type: 'source', format: 'remark42' });
    await expect(first('jsonl', 'remark42-backup.jsonl')).rejects.toThrow(/not one of our JSON lines exports/);
    await expect(first('isso', 'disqus.xml')).rejects.toThrow(/not an SQLite database/);
  });
});

describe('JSON lines framing', () => {
  it('handles CRLF, a BOM, blank lines and multi-byte characters split across chunks', async () => {
    const bytes = Buffer.from('\uFEFF{"a":"é"}\r\n\r\n{"b":"👍"}\n{"c":3}');
    const chunks = Array.from({ length: bytes.length }, (_, i) => bytes.subarray(i, i + 1));
    const { Readable } = await import('node:stream');
    const lines = [];
    for await (const l of readJsonLines(Readable.from(chunks))) lines.push(l);
    expect(lines).toEqual([
      { line: 1, value: { a: 'é' } },
      { line: 3, value: { b: '👍' } },
      { line: 4, value: { c: 3 } },
    ]);
  });
});

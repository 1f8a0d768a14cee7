import { Writable } from 'node:stream';
import sax from 'sax';
import { describe, expect, it } from 'vitest';
import { ImportFileError } from '../../../src/imports/import.errors.ts';
import type { ExportRecord } from '../../../src/imports/jsonl.format.ts';
import { parseJsonl } from '../../../src/imports/jsonl.parser.ts';
import { writeJsonl } from '../../../src/imports/jsonl.writer.ts';
import { writeChunks } from '../../../src/imports/stream-out.ts';
import { parseWxr } from '../../../src/imports/wxr.parser.ts';
import { writeWxr } from '../../../src/imports/wxr.writer.ts';
import { article, at, collect, comment, failure } from './records.ts';

const ARTICLE_ID = 'pk-kz-action-plan';
const tricky = 'Tom & Jerry <b>not bold</b> ]]> end\nline two\n\nparagraph: https://example.org/?a=1&b=2 👍 مرحبا é';

const records: ExportRecord[] = [
  {
    type: 'article',
    id: ARTICLE_ID,
    url: 'https://news.example.com/pk-kz?x=1&y=2',
    title: 'Pakistan & Kazakhstan <sign>',
    createdAt: at('2024-01-08T09:30:00Z'),
    closedAt: null,
  },
  {
    type: 'comment',
    id: '0190a1b2-0000-7000-8000-000000000001',
    articleId: ARTICLE_ID,
    parentId: null,
    status: 'approved',
    name: 'Ada <Lovelace> & co',
    email: 'ada@example.org',
    url: null,
    ip: '192.0.2.1',
    userAgent: 'Mozilla/5.0 "quoted" ]]> x',
    authorKey: null,
    body: tricky,
    createdAt: at('2024-01-08T10:00:00Z'),
  },
  {
    type: 'comment',
    id: '0190a1b2-0000-7000-8000-000000000002',
    articleId: ARTICLE_ID,
    parentId: '0190a1b2-0000-7000-8000-000000000001',
    status: 'deleted',
    name: '',
    email: null,
    url: null,
    ip: null,
    userAgent: null,
    authorKey: null,
    body: '',
    createdAt: at('2024-01-08T10:05:00Z'),
  },
  {
    type: 'comment',
    id: '0190a1b2-0000-7000-8000-000000000003',
    articleId: ARTICLE_ID,
    parentId: '0190a1b2-0000-7000-8000-000000000002',
    status: 'pending',
    name: 'Bob',
    email: 'bob@example.org',
    url: null,
    ip: '2001:db8::1',
    userAgent: null,
    authorKey: null,
    // XML 1.0 forbids these control characters even escaped: the WXR writer drops them.
    body: 'bell\u0007 and vertical tab\u000b gone',
    createdAt: at('2024-01-08T10:10:00Z'),
  },
  { type: 'article', id: 'second', url: null, title: null, createdAt: null, closedAt: at('2024-02-01T00:00:00Z') },
  {
    type: 'comment',
    id: 'c-spam',
    articleId: 'second',
    parentId: null,
    status: 'spam',
    name: 'Spammer',
    email: 'spam@example.com',
    url: 'https://spam.example/',
    ip: null,
    userAgent: null,
    authorKey: 'k1',
    body: 'buy',
    createdAt: at('2024-02-02T00:00:00Z'),
  },
  {
    type: 'comment',
    id: 'c-rejected',
    articleId: 'second',
    parentId: null,
    status: 'rejected',
    name: 'Rude',
    email: 'rude@example.com',
    url: null,
    ip: null,
    userAgent: null,
    authorKey: null,
    body: 'rude',
    createdAt: at('2024-02-03T00:00:00Z'),
  },
];

async function* from<T>(items: T[]): AsyncGenerator<T> {
  yield* items;
}

async function text(chunks: AsyncIterable<string>): Promise<string> {
  let out = '';
  for await (const c of chunks) out += c;
  return out;
}

const SITE = { id: 'demo', name: 'Demo site' };

describe('JSON lines export', () => {
  it('round-trips every field through our own parser', async () => {
    const file = await text(writeJsonl(SITE, from(records), at('2024-03-01T00:00:00Z')));
    const lines = file.trimEnd().split('\n');
    expect(JSON.parse(lines[0]!)).toEqual({
      format: 'comments-export',
      version: 1,
      site: SITE,
      exportedAt: '2024-03-01T00:00:00.000Z',
    });
    expect(JSON.parse(lines.at(-1)!)).toEqual({ type: 'end', articles: 2, comments: 5 });
    const back = await collect(parseJsonl(Buffer.from(file)));
    expect(back[0]).toEqual({
      type: 'source',
      format: 'jsonl',
      version: '1',
      title: 'Demo site',
      url: null,
      siteId: 'demo',
    });
    expect(back.slice(1)).toEqual(
      records.map((r, i) => {
        const line = i + 2;
        if (r.type === 'article') {
          return article({
            sourceKey: r.id,
            url: r.url,
            title: r.title,
            createdAt: r.createdAt,
            closed: r.closedAt !== null,
            closedAt: r.closedAt,
            line,
          });
        }
        return comment({
          sourceId: r.id,
          articleKey: r.articleId,
          parentSourceId: r.parentId,
          name: r.name,
          email: r.email,
          url: r.url,
          ip: r.ip,
          userAgent: r.userAgent,
          authorKey: r.authorKey,
          // Our reader cleans control characters, as every parser does.
          body: r.body.replace(/[\u0007\u000b]/g, ''),
          createdAt: r.createdAt,
          status: r.status,
          sourceStatus: r.status,
          line,
        });
      }),
    );
  });

  it('refuses a truncated export, a newer version, a broken line, and wrong counts', async () => {
    const file = await text(writeJsonl(SITE, from(records)));
    const lines = file.trimEnd().split('\n');
    const cases: Array<[string, string]> = [
      [lines.slice(0, -1).join('\n'), 'The export has no end line: the file is truncated (line 9)'],
      [lines.slice(0, 4).join('\n').slice(0, -10), 'The file ends in the middle of a line: is it truncated? (line 4)'],
      [
        [lines[0]!.replace('"version":1', '"version":2'), ...lines.slice(1)].join('\n'),
        'This export is version 2, made by a newer release; this one reads version 1 (line 1)',
      ],
      [
        [...lines.slice(0, 2), lines[2]!.replace('"approved"', '"published"'), ...lines.slice(3)].join('\n'),
        'This comment line is invalid: status: ',
      ],
      [
        [...lines.slice(0, 2), ...lines.slice(3)].join('\n'),
        'The end line counts 2 articles and 5 comments, but the file has 2 articles and 4 comments (line 8)',
      ],
      [`${file}{"type":"comment"}\n`, 'There is more after the end line (line 10)'],
      [
        '{"version":1,"users":[]}\n',
        'This is not one of our JSON lines exports: line 1 has no "format":"comments-export" (line 1)',
      ],
    ];
    for (const [input, message] of cases) {
      const err = await failure(parseJsonl(Buffer.from(input)));
      expect(err).toBeInstanceOf(ImportFileError);
      expect(err.message).toContain(message);
    }
  });

  it('skips lines of a type it does not know, for forward compatibility', async () => {
    const file = [
      '{"format":"comments-export","version":1,"site":{"id":"s","name":null},"exportedAt":null}',
      '{"type":"moderation-log","future":true}',
      '{"type":"end","articles":0,"comments":0}',
    ].join('\n');
    expect((await collect(parseJsonl(Buffer.from(file)))).slice(1)).toEqual([
      {
        type: 'skipped',
        reason: 'unknown-record',
        sourceId: null,
        detail: 'a line of unknown type "moderation-log"',
        line: 2,
      },
    ]);
  });
});

describe('WXR export', () => {
  it('writes well-formed XML that a strict parser accepts', async () => {
    const xml = await text(writeWxr({ title: 'Demo & co', url: 'https://news.example.com' }, from(records)));
    const parser = sax.parser(true);
    let elements = 0;
    parser.onopentag = () => {
      elements++;
    };
    parser.onerror = (err) => {
      throw err;
    };
    parser.write(xml).close();
    expect(elements).toBeGreaterThan(50);
    expect(xml).not.toMatch(/[\u0007\u000b]/);
    // Bodies are HTML-escaped, as WordPress stores comment text; "]]>" elsewhere splits the CDATA.
    expect(xml).toContain('<![CDATA[Tom &amp; Jerry &lt;b&gt;not bold&lt;/b&gt; ]]&gt; end');
    expect(xml).toContain('<wp:comment_agent><![CDATA[Mozilla/5.0 "quoted" ]]]]><![CDATA[> x]]></wp:comment_agent>');
  });

  it('round-trips through our WXR parser: threads, statuses, text and names survive', async () => {
    const xml = await text(writeWxr({ title: 'Demo', url: 'https://news.example.com' }, from(records)));
    const back = await collect(parseWxr(Buffer.from(xml)));
    const comments = back.filter((r) => r.type === 'comment');
    const articles = back.filter((r) => r.type === 'article');
    expect(articles.map((a) => [a.sourceKey, a.url, a.title, a.closed])).toEqual([
      ['1', 'https://news.example.com/pk-kz?x=1&y=2', 'Pakistan & Kazakhstan <sign>', false],
      ['2', null, 'second', true],
    ]);
    // WordPress numbers comments; the parents follow the numbering.
    expect(comments.map((c) => [c.sourceId, c.articleKey, c.parentSourceId, c.status, c.name, c.body])).toEqual([
      ['1', '1', null, 'approved', 'Ada <Lovelace> & co', tricky],
      ['2', '1', '1', 'deleted', '', ''],
      ['3', '1', '2', 'pending', 'Bob', 'bell and vertical tab gone'],
      ['4', '2', null, 'spam', 'Spammer', 'buy'],
      ['5', '2', null, 'rejected', 'Rude', 'rude'],
    ]);
    expect(comments[0]).toMatchObject({
      email: 'ada@example.org',
      ip: '192.0.2.1',
      userAgent: 'Mozilla/5.0 "quoted" ]]> x',
    });
  });

  it('maps statuses to comment_approved as WordPress knows them', async () => {
    const xml = await text(writeWxr({ title: 'Demo', url: null }, from(records)));
    const approved = [...xml.matchAll(/<wp:comment_approved><!\[CDATA\[(.*?)\]\]>/g)].map((m) => m[1]);
    expect(approved).toEqual(['1', 'trash', '0', 'spam', 'trash']);
  });

  it('refuses comments that do not follow their article', async () => {
    const err = await failure(writeWxr({ title: 'x', url: null }, from([records[1]!])));
    expect(err.message).toBe(
      `WXR export: comment ${records[1]!.type === 'comment' ? records[1]!.id : ''} does not follow its article ${ARTICLE_ID}`,
    );
  });
});

describe('streaming out', () => {
  it('pulls records only as fast as the destination drains', async () => {
    let produced = 0;
    async function* many(): AsyncGenerator<ExportRecord> {
      yield { type: 'article', id: 'a', url: null, title: null, createdAt: null, closedAt: null };
      for (let i = 0; i < 5000; i++) {
        produced++;
        yield {
          ...(records[1] as Extract<ExportRecord, { type: 'comment' }>),
          id: `c${i}`,
          articleId: 'a',
          parentId: null,
        };
      }
    }
    let written = 0;
    let maxAhead = 0;
    const slow = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _enc, done) {
        written += chunk.toString().split('\n').length - 1;
        maxAhead = Math.max(maxAhead, produced - written);
        setImmediate(done);
      },
    });
    await writeChunks(writeJsonl(SITE, many()), slow);
    expect(written).toBe(5003); // header, article, 5,000 comments, end
    // Without backpressure the generator would run thousands of records ahead of the writes.
    expect(maxAhead).toBeLessThan(400);
  });
});

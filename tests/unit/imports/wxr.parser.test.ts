import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ImportFileError } from '../../../src/imports/import.errors.ts';
import { parseWxr } from '../../../src/imports/wxr.parser.ts';
import { article, at, collect, comment, failure, fixture } from './records.ts';

const WXR12 = fixture('wordpress-1.2.wxr.xml');
const POST = '101';

describe('WXR 1.2 (WordPress 6)', () => {
  it('yields the source, each article before its comments, and every comment exactly', async () => {
    const records = await collect(parseWxr(WXR12));
    expect(records).toEqual([
      {
        type: 'source',
        format: 'wxr',
        version: '1.2',
        title: 'The Daily Example',
        url: 'https://news.example.com',
        siteId: null,
      },
      article({
        sourceKey: POST,
        url: 'https://news.example.com/2024/01/action-plan/',
        title: 'Leaders sign an action plan',
        createdAt: at('2024-01-08T09:30:00Z'),
        closed: false,
        line: 33,
      }),
      comment({
        sourceId: '11',
        articleKey: POST,
        name: 'Ada Lovelace',
        email: 'ada@example.org',
        url: 'https://ada.example.org/',
        ip: '192.0.2.10',
        body: 'A good start & about time.\nRead the analysis (https://example.org/analysis) first.\n\nSecond paragraph.',
        createdAt: at('2024-01-08T10:00:00Z'),
        line: 63,
      }),
      comment({
        sourceId: '12',
        articleKey: POST,
        parentSourceId: '11',
        name: 'محمد',
        email: 'm@example.net',
        ip: '2001:db8::7',
        body: 'أتفق معك 👍 — Zoë, naïve café (e + U+0301: e\u0301)',
        createdAt: at('2024-01-08T10:15:00Z'),
        line: 84,
      }),
      comment({
        sourceId: '13',
        articleKey: POST,
        parentSourceId: '12',
        name: 'The Editor',
        email: 'editor@news.example.com',
        url: 'https://news.example.com',
        ip: '198.51.100.4',
        authorKey: '1',
        // The CDATA was split around "]]>", as WordPress does: the text keeps it whole.
        body: 'Code sample: if (a[b[0]]> 1) { return; } <-- careful',
        createdAt: at('2024-01-08T11:00:00Z'),
        line: 98,
      }),
      comment({
        sourceId: '14',
        articleKey: POST,
        name: 'Cheap Pills',
        email: 'spam@spam.example',
        url: 'http://spam.example/buy',
        ip: '203.0.113.66',
        body: 'http://spam.example/buy BUY NOW',
        createdAt: at('2024-01-08T12:00:00Z'),
        status: 'spam',
        sourceStatus: 'spam',
        line: 112,
      }),
      comment({
        sourceId: '15',
        articleKey: POST,
        name: 'Troll',
        email: 'troll@example.com',
        ip: '203.0.113.7',
        body: 'Trashed by a moderator.',
        createdAt: at('2024-01-08T12:30:00Z'),
        status: 'rejected',
        sourceStatus: 'trash',
        line: 126,
      }),
      comment({
        sourceId: '16',
        articleKey: POST,
        parentSourceId: '11',
        name: 'New Reader',
        email: 'new@example.com',
        ip: '192.0.2.99',
        body: 'Waiting for moderation, with no GMT date.',
        // comment_date_gmt is 0000-00-00 00:00:00: the local date is used, read as UTC.
        createdAt: at('2024-01-09T08:00:00Z'),
        status: 'pending',
        sourceStatus: '0',
        line: 144,
      }),
      comment({
        sourceId: '17',
        articleKey: POST,
        name: 'Other Blog » A reply',
        url: 'https://other.example/reply/',
        ip: '198.51.100.20',
        body: '[…] as reported in the action plan story […]',
        createdAt: at('2024-01-09T08:00:00Z'),
        kind: 'pingback',
        line: 158,
      }),
      comment({
        sourceId: '18',
        articleKey: POST,
        name: 'Track Site',
        url: 'https://track.example/',
        ip: '198.51.100.21',
        body: 'Track Site linked here',
        createdAt: at('2024-01-09T08:30:00Z'),
        kind: 'trackback',
        line: 172,
      }),
      article({
        sourceKey: '2',
        url: 'https://news.example.com/about/',
        title: 'About us',
        createdAt: at('2023-01-01T00:00:00Z'),
        closed: true,
        line: 187,
      }),
      comment({
        sourceId: '3',
        articleKey: '2',
        // WordPress stores names HTML-escaped; a javascript: website and a junk IP are dropped.
        name: 'Grace <Hopper>',
        email: 'grace@example.org',
        userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/121.0',
        body: '> About this site.\n\nNice page. a chart 1 < 2 & 3 > 2',
        createdAt: at('2023-02-01T12:00:00Z'),
        line: 208,
      }),
      {
        type: 'skipped',
        reason: 'post-type',
        sourceId: '150',
        detail: 'post type "attachment": 1 comment',
        line: 225,
      },
      article({
        sourceKey: '7',
        url: 'https://news.example.com/2019/old-news/',
        title: 'Old news',
        createdAt: at('2019-01-01T00:00:00Z'),
        closed: false,
        line: 262,
      }),
      comment({
        sourceId: '5',
        articleKey: '7',
        name: 'Early Bird',
        email: 'early@example.com',
        ip: '192.0.2.5',
        body: 'First!',
        createdAt: at('2019-01-02T00:00:00Z'),
        status: 'rejected',
        sourceStatus: 'post-trashed',
        line: 283,
      }),
    ]);
  });

  it('imports the comments of other post types when asked', async () => {
    const records = await collect(parseWxr(WXR12, { postTypes: ['post', 'page', 'attachment'] }));
    expect(records.filter((r) => r.type === 'skipped')).toEqual([]);
    const chart = records.find((r) => r.type === 'comment' && r.sourceId === '40');
    expect(chart).toMatchObject({ articleKey: '150', body: 'Nice chart', line: 247 });
  });

  it('reads the same records from a stream in tiny chunks, and from gzip', async () => {
    const whole = await collect(parseWxr(WXR12));
    const bytes = readFileSync(WXR12);
    const tiny = Readable.from(
      (function* () {
        for (let i = 0; i < bytes.length; i += 7) yield bytes.subarray(i, i + 7);
      })(),
    );
    expect(await collect(parseWxr(tiny))).toEqual(whole);
    expect(await collect(parseWxr(gzipSync(bytes)))).toEqual(whole);
  });

  it('stops reading and releases the input when the consumer stops early', async () => {
    const input = Readable.from([readFileSync(WXR12)]);
    for await (const r of parseWxr(input)) {
      expect(r.type).toBe('source');
      break;
    }
    expect(input.destroyed).toBe(true);
  });

  it('reports the bytes it reads, for a progress bar', async () => {
    const seen: Array<[number, number | null]> = [];
    await collect(parseWxr(WXR12, { onBytes: (read, total) => seen.push([read, total]) }));
    const size = readFileSync(WXR12).length;
    expect(seen.at(-1)).toEqual([size, size]);
  });
});

describe('older WXR versions', () => {
  it('WXR 1.0 (WordPress 2.3): plain text fields, escaped HTML content, no comment types', async () => {
    const records = await collect(parseWxr(fixture('wordpress-1.0.wxr.xml')));
    expect(records).toEqual([
      {
        type: 'source',
        format: 'wxr',
        version: '1.0',
        title: 'Old Blog',
        url: 'http://blog.example.net',
        siteId: null,
      },
      article({
        sourceKey: '1',
        url: 'http://blog.example.net/2008/01/hello-world/',
        title: 'Hello world!',
        createdAt: at('2008-01-20T13:00:00Z'),
        closed: false,
        line: 17,
      }),
      comment({
        sourceId: '1',
        articleKey: '1',
        name: 'Mr WordPress',
        url: 'http://wordpress.org/',
        body: "Hi, this is a comment.\nTo delete a comment, just log in, and view the posts' comments, there you will have the option to edit or delete them.",
        createdAt: at('2008-01-20T13:00:00Z'),
        line: 36,
      }),
      comment({
        sourceId: '2',
        articleKey: '1',
        parentSourceId: '1',
        name: 'José García',
        email: 'jose@example.es',
        ip: '10.0.0.2',
        body: '¡Hola! Tom & Jerry\nsecond line',
        createdAt: at('2008-01-21T08:30:00Z'),
        line: 49,
      }),
    ]);
  });

  it('WXR 1.1: lists become lines, a closed post is closed', async () => {
    const records = await collect(parseWxr(fixture('wordpress-1.1.wxr.xml')));
    expect(records).toEqual([
      {
        type: 'source',
        format: 'wxr',
        version: '1.1',
        title: 'Middle Blog',
        url: 'http://middle.example.org',
        siteId: null,
      },
      article({
        sourceKey: '42',
        url: 'http://middle.example.org/?p=42',
        title: 'Questions & answers',
        createdAt: at('2010-06-30T18:00:00Z'),
        closed: true,
        line: 16,
      }),
      comment({
        sourceId: '100',
        articleKey: '42',
        name: 'Reader',
        email: 'reader@example.org',
        ip: '192.0.2.100',
        body: 'Is this right?\n\n- one\n- two',
        createdAt: at('2010-06-30T19:00:00Z'),
        line: 25,
      }),
    ]);
  });
});

describe('WXR that is not quite WordPress', () => {
  const wrap = (items: string, ns = 'xmlns:wp="http://wordpress.org/export/1.2/"') =>
    `<?xml version="1.0"?>\n<rss version="2.0" ${ns}><channel><title>T</title>\n${items}\n</channel></rss>\n`;

  it("Disqus's custom WXR: no post id, the thread identifier is the key", async () => {
    const xml = wrap(`<item><title>Foo bar</title><link>http://foo.com/example</link>
<dsq:thread_identifier>disqus_identifier</dsq:thread_identifier><wp:post_date_gmt>2010-09-20 09:13:44</wp:post_date_gmt>
<wp:comment_status>open</wp:comment_status>
<wp:comment><wp:comment_id>65</wp:comment_id><wp:comment_author>Foo Bar</wp:comment_author>
<wp:comment_author_email>foo@bar.com</wp:comment_author_email><wp:comment_date_gmt>2010-09-20 13:19:10</wp:comment_date_gmt>
<wp:comment_content><![CDATA[Hello world]]></wp:comment_content><wp:comment_approved>1</wp:comment_approved>
<wp:comment_parent>0</wp:comment_parent></wp:comment></item>`);
    const records = await collect(parseWxr(Buffer.from(xml)));
    expect(records.slice(1)).toEqual([
      article({
        sourceKey: 'disqus_identifier',
        url: 'http://foo.com/example',
        title: 'Foo bar',
        createdAt: at('2010-09-20T09:13:44Z'),
        closed: false,
        line: 3,
      }),
      comment({
        sourceId: '65',
        articleKey: 'disqus_identifier',
        name: 'Foo Bar',
        email: 'foo@bar.com',
        body: 'Hello world',
        createdAt: at('2010-09-20T13:19:10Z'),
        line: 6,
      }),
    ]);
  });

  it('reports comments it cannot use instead of guessing', async () => {
    const xml = wrap(`<item><wp:post_id>1</wp:post_id>
<wp:comment><wp:comment_author>No id</wp:comment_author><wp:comment_date_gmt>2020-01-01 00:00:00</wp:comment_date_gmt></wp:comment>
<wp:comment><wp:comment_id>9</wp:comment_id><wp:comment_date>2020-02-31 00:00:00</wp:comment_date></wp:comment>
<wp:comment><wp:comment_id>10</wp:comment_id><wp:comment_date>2020-02-03 00:00:00</wp:comment_date><wp:comment_approved>some-plugin-state</wp:comment_approved></wp:comment>
</item>`);
    const records = await collect(parseWxr(Buffer.from(xml)));
    expect(records.slice(2)).toEqual([
      { type: 'skipped', reason: 'invalid', sourceId: null, detail: 'a comment with no wp:comment_id', line: 4 },
      { type: 'skipped', reason: 'invalid', sourceId: '9', detail: 'comment 9 has no valid comment_date', line: 5 },
      comment({
        sourceId: '10',
        articleKey: '1',
        body: '',
        createdAt: at('2020-02-03T00:00:00Z'),
        status: 'pending',
        sourceStatus: 'some-plugin-state',
        line: 6,
      }),
    ]);
  });

  it('refuses a Disqus export, an RSS feed without the WordPress namespace, and JSON, naming the line', async () => {
    const disqus = await failure(parseWxr(fixture('disqus.xml')));
    expect(disqus).toBeInstanceOf(ImportFileError);
    expect(disqus.message).toBe(
      'This is not a WordPress export (WXR): its root element is <disqus>, not <rss>: it looks like a Disqus export (--format disqus) (line 2, column 256)',
    );
    const feed = await failure(parseWxr(Buffer.from('<?xml version="1.0"?>\n<rss version="2.0"><channel/></rss>')));
    expect(feed.message).toMatch(
      /^This RSS file has no WordPress export namespace \(xmlns:wp\): it is not a WXR file \(line 2,/,
    );
    const json = await failure(parseWxr(fixture('remark42-backup.jsonl')));
    expect(json.message).toBe(
      'This is not an XML file: it looks like a Remark42 backup (--format remark42) (line 1, column 1)',
    );
    expect(json.line).toBe(1);
  });
});

import { describe, expect, it } from 'vitest';
import { parseDisqus } from '../../../src/imports/disqus.parser.ts';
import { ImportFileError } from '../../../src/imports/import.errors.ts';
import { article, at, collect, comment, failure, fixture } from './records.ts';

const THREAD = '247918464';
const visible = { sourceStatus: 'visible' } as const;

describe('Disqus export', () => {
  it('yields threads as articles and posts as comments, exactly, in file order', async () => {
    const records = await collect(parseDisqus(fixture('disqus.xml')));
    expect(records).toEqual([
      { type: 'source', format: 'disqus', version: null, title: null, url: null, siteId: null },
      article({
        sourceKey: THREAD,
        identifier: 'action-plan',
        url: 'https://news.example.com/2024/01/action-plan/',
        // The title was escaped twice (&amp;#8211;), as Disqus often stores page titles.
        title: 'Leaders sign an action plan – The Daily Example',
        createdAt: at('2024-01-08T09:30:00Z'),
        closed: false,
        line: 10,
      }),
      article({
        sourceKey: '247937687',
        url: 'https://news.example.com/2019/archive/',
        title: 'Радио архив',
        // No zone in the file: UTC.
        createdAt: at('2019-03-07T21:17:17Z'),
        closed: true,
        line: 29,
      }),
      {
        type: 'skipped',
        reason: 'deleted-thread',
        sourceId: '300000001',
        detail: 'thread 300000001 was deleted in Disqus; its posts are skipped',
        line: 45,
      },
      comment({
        ...visible,
        sourceId: '5001',
        articleKey: THREAD,
        name: 'Ada Lovelace',
        email: 'ada@example.org',
        ip: '192.0.2.10',
        authorKey: 'adalovelace',
        body:
          'A good start & about time.\n\nRead the analysis (https://example.org/analysis) first.\n' +
          'Then this: https://example.org/a/very/long/path/to/a/report.html',
        createdAt: at('2024-01-08T10:00:00Z'),
        line: 58,
      }),
      // Deleted, with a reply below: kept as a placeholder without its text or personal data.
      comment({
        sourceId: '5002',
        articleKey: THREAD,
        body: '',
        createdAt: at('2024-01-08T10:10:00Z'),
        status: 'deleted',
        sourceStatus: 'isDeleted',
        line: 74,
      }),
      comment({
        ...visible,
        sourceId: '5003',
        articleKey: THREAD,
        parentSourceId: '5002',
        name: 'محمد',
        ip: '2001:db8::7',
        body: 'أتفق معك 👍 — Zoë, naïve café (e\u0301)',
        createdAt: at('2024-01-08T10:15:00Z'),
        line: 92,
      }),
      comment({
        ...visible,
        sourceId: '5004',
        articleKey: THREAD,
        parentSourceId: '5003',
        name: 'The Editor',
        email: 'editor@news.example.com',
        ip: '198.51.100.4',
        authorKey: 'dailyexample',
        body: 'Code: if (a[b[0]]> 1) <-- careful\n\n> quoted words\n\nreply',
        createdAt: at('2024-01-08T11:00:00Z'),
        line: 108,
      }),
      comment({
        sourceId: '5005',
        articleKey: THREAD,
        name: 'Cheap Pills',
        email: 'spam@spam.example',
        ip: '203.0.113.66',
        body: 'BUY http://spam.example/buy',
        createdAt: at('2024-01-08T12:00:00Z'),
        status: 'spam',
        sourceStatus: 'isSpam',
        line: 125,
      }),
      // Deleted without replies: still yielded (replies could come later); the importer drops it.
      comment({
        sourceId: '5006',
        articleKey: THREAD,
        body: '',
        createdAt: at('2024-01-08T12:30:00Z'),
        status: 'deleted',
        sourceStatus: 'isDeleted',
        line: 140,
      }),
      comment({
        ...visible,
        sourceId: '5007',
        articleKey: '247937687',
        name: 'Old Timer',
        email: 'old@example.com',
        ip: '192.0.2.13',
        authorKey: 'oldtimer',
        body: 'An old comment.',
        createdAt: at('2019-03-08T08:00:00Z'),
        line: 156,
      }),
      {
        type: 'skipped',
        reason: 'deleted-thread',
        sourceId: '5008',
        detail: 'post 5008 belongs to deleted thread 300000001',
        line: 172,
      },
      comment({
        ...visible,
        sourceId: '12345678890',
        articleKey: THREAD,
        name: 'Blah',
        email: 'blah@example.com',
        body: 'This comment had no dsq:id',
        createdAt: at('2024-01-09T22:49:43Z'),
        line: 187,
      }),
      {
        type: 'skipped',
        reason: 'invalid',
        sourceId: '5010',
        detail: 'post 5010 has no valid createdAt',
        line: 202,
      },
    ]);
  });

  it('keeps a post whose thread is declared later: it waits, and comes after its thread (so the article has its identifier and URL)', async () => {
    const xml = `<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">
<post dsq:id="1"><message>early</message><createdAt>2020-01-01T00:00:00Z</createdAt><isDeleted>false</isDeleted>
<isSpam>false</isSpam><author><name>A</name></author><thread dsq:id="9"/></post>
<thread dsq:id="9"><id>nine</id><link>https://x.example/9</link><title>Nine</title></thread>
</disqus>`;
    const records = await collect(parseDisqus(Buffer.from(xml)));
    expect(records.slice(1)).toEqual([
      article({ sourceKey: '9', identifier: 'nine', url: 'https://x.example/9', title: 'Nine', line: 4 }),
      comment({
        ...visible,
        sourceId: '1',
        articleKey: '9',
        name: 'A',
        body: 'early',
        createdAt: at('2020-01-01T00:00:00Z'),
        line: 2,
      }),
    ]);
  });

  it('skips posts whose thread is deleted later in the file, or not in the file at all', async () => {
    const post = (id: string, thread: string) =>
      `<post dsq:id="${id}"><message>m</message><createdAt>2020-01-01T00:00:00Z</createdAt><author><name>A</name></author><thread dsq:id="${thread}"/></post>`;
    const xml = `<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">
${post('1', 'gone')}
${post('2', 'nowhere')}
<thread dsq:id="gone"><link>https://x.example/g</link><isDeleted>true</isDeleted></thread>
</disqus>`;
    const records = await collect(parseDisqus(Buffer.from(xml)));
    expect(records.slice(1).map((r) => (r.type === 'skipped' ? [r.reason, r.sourceId, r.line] : r.type))).toEqual([
      ['deleted-thread', 'gone', 4],
      ['deleted-thread', '1', 2],
      ['missing-thread', '2', 3],
    ]);
  });

  it('refuses a WordPress file with a pointer to the right format', async () => {
    const err = await failure(parseDisqus(fixture('wordpress-1.2.wxr.xml')));
    expect(err).toBeInstanceOf(ImportFileError);
    expect(err.message).toMatch(
      /^This is not a Disqus export: its root element is <rss>, not <disqus>: it looks like a WordPress export \(--format wxr\) \(line 10,/,
    );
  });
});

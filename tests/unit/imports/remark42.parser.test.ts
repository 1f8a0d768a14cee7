import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ImportFileError } from '../../../src/imports/import.errors.ts';
import { parseRemark42 } from '../../../src/imports/remark42.parser.ts';
import { article, at, collect, comment, failure, fixture } from './records.ts';

const BACKUP = fixture('remark42-backup.jsonl');
const POST = 'https://news.example.com/2024/01/action-plan/';
const ARCHIVE = 'https://news.example.com/2019/archive/';
const visible = { sourceStatus: 'visible' } as const;

describe('Remark42 backup', () => {
  it('yields articles by URL and comments exactly; hashed IPs are dropped, markdown is the text', async () => {
    const records = await collect(parseRemark42(BACKUP));
    expect(records).toEqual([
      { type: 'source', format: 'remark42', version: '1', title: null, url: null, siteId: null },
      article({ sourceKey: POST, url: POST, title: 'Leaders sign an action plan', closed: false, line: 2 }),
      comment({
        ...visible,
        sourceId: 'c9a1f7e2-0001-4a75-b308-61fe5dd02aa1',
        articleKey: POST,
        name: 'Ada Lovelace',
        authorKey: 'github_ada',
        body: 'A **good** start & about time.\n\nRead [the analysis](https://example.org/analysis) first.',
        createdAt: at('2024-01-08T10:00:00Z'),
        line: 2,
      }),
      comment({
        sourceId: 'c9a1f7e2-0002-4a75-b308-61fe5dd02aa1',
        articleKey: POST,
        parentSourceId: 'c9a1f7e2-0001-4a75-b308-61fe5dd02aa1',
        body: '',
        createdAt: at('2024-01-08T09:10:00.123Z'),
        status: 'deleted',
        sourceStatus: 'delete',
        line: 3,
      }),
      comment({
        ...visible,
        sourceId: 'c9a1f7e2-0003-4a75-b308-61fe5dd02aa1',
        articleKey: POST,
        parentSourceId: 'c9a1f7e2-0002-4a75-b308-61fe5dd02aa1',
        name: 'محمد',
        ip: '2001:db8::7',
        authorKey: 'anonymous_5f2c',
        body: 'أتفق معك 👍 — Zoë, naïve café (e\u0301)',
        createdAt: at('2024-01-08T10:15:00Z'),
        line: 4,
      }),
      // Imported into Remark42 from Disqus: no markdown kept, so its HTML is converted.
      comment({
        ...visible,
        sourceId: 'disqus_5004',
        articleKey: POST,
        parentSourceId: 'c9a1f7e2-0003-4a75-b308-61fe5dd02aa1',
        name: 'Tom & Jerry',
        authorKey: 'disqus_8c1b',
        body: 'Code: if (a[b[0]]> 1)\n\n> quoted words\n\nreply <b>not bold</b>',
        createdAt: at('2024-01-08T11:00:00Z'),
        line: 6,
      }),
      article({ sourceKey: ARCHIVE, url: ARCHIVE, title: 'Радио архив', closed: true, line: 7 }),
      comment({
        ...visible,
        sourceId: 'c9a1f7e2-0005-4a75-b308-61fe5dd02aa1',
        articleKey: ARCHIVE,
        name: 'Old Timer',
        ip: '192.0.2.13',
        authorKey: 'email_old',
        body: 'An old comment.',
        createdAt: at('2019-03-08T08:00:00Z'),
        line: 7,
      }),
      {
        type: 'skipped',
        reason: 'invalid',
        sourceId: 'c9a1f7e2-0006-4a75-b308-61fe5dd02aa1',
        detail: 'comment c9a1f7e2-0006-4a75-b308-61fe5dd02aa1 has no valid time',
        line: 8,
      },
    ]);
  });

  it('reads the usual gzipped backup file the same way', async () => {
    const plain = await collect(parseRemark42(BACKUP));
    expect(await collect(parseRemark42(gzipSync(readFileSync(BACKUP))))).toEqual(plain);
  });

  it('refuses files that are not Remark42 backups, naming the line', async () => {
    const cases: Array<[string, string]> = [
      ['', 'The file is empty: a Remark42 backup starts with a metadata line (line 1)'],
      [
        '{"id":"x","locator":{"url":"u"}}\n',
        'This is not a Remark42 backup: its first line is not the backup metadata (line 1)',
      ],
      ['{"version":2,"users":[]}\n', 'Remark42 backup version 2 is not supported (only 0 and 1) (line 1)'],
      ['{"version":1}\n{"id":"a",\n', 'This line is not valid JSON'],
      [
        '{"version":1}\n{"id":"a","locator":{"url":"u"},"time":"2020-01-01T00:00:00Z"}\n{"id":"b"',
        'The file ends in the middle of a line: is it truncated? (line 3)',
      ],
    ];
    for (const [text, message] of cases) {
      const err = await failure(parseRemark42(Buffer.from(text)));
      expect(err).toBeInstanceOf(ImportFileError);
      expect(err.message).toContain(message);
    }
    const xml = await failure(parseRemark42(fixture('disqus.xml')));
    expect(xml.message).toMatch(
      /^This line is not valid JSON \(.*\): it looks like a Disqus export \(--format disqus\) \(line 1\)$/,
    );
  });
});

// What real exports do that the formats' descriptions do not: text encodings declared late or
// contradicted by a byte order mark, stray characters before the XML, comment types and statuses
// no reader's comment has.
import initSqlJs from 'sql.js';
import { describe, expect, it } from 'vitest';
import { parseIsoDate } from '../../../src/imports/dates.ts';
import { parseDisqus } from '../../../src/imports/disqus.parser.ts';
import type { ImportedComment, ImportRecord } from '../../../src/imports/import.types.ts';
import { parseIsso } from '../../../src/imports/isso.parser.ts';
import { parseWxr } from '../../../src/imports/wxr.parser.ts';
import { collect, failure } from './records.ts';

const NS = 'version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"';

function wxr(comments: string): string {
  return `<rss ${NS}><channel><item><title>T</title><link>https://blog.example/t/</link><wp:post_id>7</wp:post_id><wp:post_type>post</wp:post_type>${comments}</item></channel></rss>`;
}

function wpComment(id: string, fields: { author?: string; type?: string; approved?: string }): string {
  return `<wp:comment><wp:comment_id>${id}</wp:comment_id><wp:comment_author>${fields.author ?? 'A'}</wp:comment_author><wp:comment_date_gmt>2010-01-02 03:04:05</wp:comment_date_gmt><wp:comment_content>x</wp:comment_content><wp:comment_approved>${fields.approved ?? '1'}</wp:comment_approved><wp:comment_type>${fields.type ?? ''}</wp:comment_type><wp:comment_parent>0</wp:comment_parent></wp:comment>`;
}

const comments = (records: ImportRecord[]) => records.filter((r): r is ImportedComment => r.type === 'comment');

describe('text encodings of real exports', () => {
  it('reads the declared ISO-8859-1 when a newline comes before the declaration', async () => {
    const text = `\n<?xml version="1.0" encoding="ISO-8859-1"?>\n${wxr(wpComment('1', { author: 'José Müller' }))}`;
    const records = await collect(parseWxr(Buffer.from(text, 'latin1')));
    expect(comments(records).map((c) => c.name)).toEqual(['José Müller']);
  });

  it('windows-1252 too (curly quotes are in its 0x80-0x9F range)', async () => {
    const bytes = Buffer.concat([
      Buffer.from(
        `<?xml version="1.0" encoding="windows-1252"?>${wxr(wpComment('1', { author: 'Zoë QQ' }))}`,
        'latin1',
      ),
    ]);
    // 0x93 and 0x94 are “ and ” in windows-1252 (and control characters in ISO-8859-1 proper).
    const at = bytes.indexOf('QQ');
    bytes[at] = 0x93;
    bytes[at + 1] = 0x94;
    expect(comments(await collect(parseWxr(bytes))).map((c) => c.name)).toEqual(['Zoë “”']);
  });

  it('a UTF-8 byte order mark wins over a declaration that says ISO-8859-1 (the file was re-saved)', async () => {
    const text = `\uFEFF<?xml version="1.0" encoding="ISO-8859-1"?>${wxr(wpComment('1', { author: 'محمد 👍' }))}`;
    expect(comments(await collect(parseWxr(Buffer.from(text, 'utf8')))).map((c) => c.name)).toEqual(['محمد 👍']);
  });

  it('UTF-16 with its byte order mark', async () => {
    const text = `\uFEFF<?xml version="1.0" encoding="UTF-16"?>${wxr(wpComment('1', { author: 'Zoë' }))}`;
    expect(comments(await collect(parseWxr(Buffer.from(text, 'utf16le')))).map((c) => c.name)).toEqual(['Zoë']);
  });
});

describe('stray characters before the XML', () => {
  it('are named as such, with the line, for either format', async () => {
    for (const [parse, root] of [
      [parseDisqus, '<disqus xmlns:dsq="http://disqus.com/disqus-internals"></disqus>'],
      [parseWxr, wxr('')],
    ] as const) {
      const err = await failure(parse(Buffer.from(`\`<?xml version="1.0"?>\n${root}`)));
      expect(err.message).toBe(
        'There are stray characters before the XML starts: remove them and import the file again (line 1, column 1)',
      );
    }
  });

  it('a file that is not XML at all is still called that', async () => {
    const err = await failure(parseWxr(Buffer.from('Dear admin, here is the export you asked for')));
    expect(err.message).toMatch(/^This is not an XML file \(line 1/);
  });
});

describe('WordPress comment types and statuses', () => {
  it('imports "", "comment", pingbacks and trackbacks; skips notes and any other type, even odd names', async () => {
    const records = await collect(
      parseWxr(
        Buffer.from(
          wxr(
            [
              wpComment('1', {}),
              wpComment('2', { type: 'comment' }),
              wpComment('3', { type: 'pingback' }),
              wpComment('4', { type: 'Trackback' }),
              wpComment('5', { type: 'note', approved: '0' }),
              wpComment('6', { type: 'webmention' }),
              wpComment('7', { type: 'constructor' }),
            ].join(''),
          ),
        ),
      ),
    );
    expect(comments(records).map((c) => [c.sourceId, c.kind])).toEqual([
      ['1', 'comment'],
      ['2', 'comment'],
      ['3', 'pingback'],
      ['4', 'trackback'],
    ]);
    const skipped = records.filter((r) => r.type === 'skipped');
    expect(skipped.map((r) => (r.type === 'skipped' ? [r.reason, r.sourceId] : null))).toEqual([
      ['comment-type', '5'],
      ['comment-type', '6'],
      ['comment-type', '7'],
    ]);
  });

  it('maps every status WordPress writes, and holds any other value (even one named like a built-in) for review', async () => {
    const values = ['1', '0', 'spam', 'trash', 'post-trashed', 'approve', 'hold', 'constructor', 'weird'];
    const records = await collect(
      parseWxr(Buffer.from(wxr(values.map((v, i) => wpComment(String(i + 1), { approved: v })).join('')))),
    );
    expect(comments(records).map((c) => [c.sourceStatus, c.status])).toEqual([
      ['1', 'approved'],
      ['0', 'pending'],
      ['spam', 'spam'],
      ['trash', 'rejected'],
      ['post-trashed', 'rejected'],
      ['approve', 'approved'],
      ['hold', 'pending'],
      ['constructor', 'pending'],
      ['weird', 'pending'],
    ]);
  });
});

describe('Disqus and Remark42 dates as converters write them', () => {
  it('reads a space for the T, a zone without its colon or after a space, and refuses impossible days', () => {
    const read = (t: string) => parseIsoDate(t)?.toISOString() ?? null;
    expect(read('2012-07-02T09:30:00Z')).toBe('2012-07-02T09:30:00.000Z');
    expect(read('2012-07-02 09:30:00')).toBe('2012-07-02T09:30:00.000Z');
    expect(read('2012-07-02T09:30:00+0100')).toBe('2012-07-02T08:30:00.000Z');
    expect(read('2012-07-02 09:30:00 +01:00')).toBe('2012-07-02T08:30:00.000Z');
    expect(read('2018-12-23T02:55:22.472041-06:00')).toBe('2018-12-23T08:55:22.472Z');
    expect(read('2012-02-30T09:30:00Z')).toBeNull();
    expect(read('2011-x09-30T22:48:43Z')).toBeNull();
  });
});

describe('Disqus posts before their thread', () => {
  it('wait in bounded memory: past 20,000 waiting posts, the next ones come at once', async () => {
    const post = (i: number) =>
      `<post dsq:id="p${i}"><message>m</message><createdAt>2020-01-01T00:00:00Z</createdAt><thread dsq:id="late"/></post>\n`;
    const posts = Array.from({ length: 20_002 }, (_, i) => post(i)).join('');
    const xml = `<disqus xmlns:dsq="http://disqus.com/disqus-internals">\n${posts}<thread dsq:id="late"><link>https://x.example/late</link></thread></disqus>`;
    const order: string[] = [];
    for await (const r of parseDisqus(Buffer.from(xml))) {
      if (r.type === 'comment') order.push(r.sourceId);
      else if (r.type === 'article') order.push('article');
    }
    expect(order.length).toBe(20_003);
    // The two over the limit came as they were read; the 20,000 that waited come after their thread.
    expect(order.slice(0, 3)).toEqual(['p20000', 'p20001', 'article']);
    expect(order[3]).toBe('p0');
    expect(order.at(-1)).toBe('p19999');
  });
});

describe('an Isso database whose thread row is gone', () => {
  it("reports its comments as missing-thread (Isso's tid is not a checked foreign key)", async () => {
    const SQL = await initSqlJs();
    const db = new SQL.Database();
    db.exec(`CREATE TABLE threads (id INTEGER PRIMARY KEY, uri VARCHAR(256) UNIQUE, title VARCHAR(256));
      CREATE TABLE comments (tid REFERENCES threads(id), id INTEGER PRIMARY KEY, parent INTEGER,
        created FLOAT NOT NULL, modified FLOAT, mode INTEGER, remote_addr VARCHAR, text VARCHAR, author VARCHAR,
        email VARCHAR, website VARCHAR, likes INTEGER DEFAULT 0, dislikes INTEGER DEFAULT 0, voters BLOB NOT NULL,
        notification INTEGER NOT NULL DEFAULT 0);
      INSERT INTO threads VALUES (1, '/kept/', 'Kept');
      INSERT INTO comments VALUES (1, 1, NULL, 1704708000.0, NULL, 1, '192.0.2.0', 'here', 'A', NULL, NULL, 0, 0, X'00', 0);
      INSERT INTO comments VALUES (9, 2, NULL, 1704708000.0, NULL, 1, '192.0.2.0', 'lost', 'B', NULL, NULL, 0, 0, X'00', 0);`);
    const bytes = db.export();
    db.close();
    const records = await collect(parseIsso(bytes));
    expect(comments(records).map((c) => c.sourceId)).toEqual(['1']);
    expect(records.filter((r) => r.type === 'skipped')).toEqual([
      {
        type: 'skipped',
        reason: 'missing-thread',
        sourceId: '2',
        detail: 'comment 2 names thread 9, which is not in the database',
        line: null,
      },
    ]);
  });
});

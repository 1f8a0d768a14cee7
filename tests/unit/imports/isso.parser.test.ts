import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import initSqlJs from 'sql.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportFileError, ImportTooLargeError } from '../../../src/imports/import.errors.ts';
import { parseIsso } from '../../../src/imports/isso.parser.ts';
import { article, at, collect, comment, failure, fixture } from './records.ts';

let dir: string;
let dbPath: string;

async function sqlite(script: string): Promise<Uint8Array> {
  const SQL = await initSqlJs();
  const db = new SQL.Database();
  db.exec(script);
  const bytes = db.export();
  db.close();
  return bytes;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'isso-'));
  dbPath = join(dir, 'comments.db');
  await writeFile(dbPath, await sqlite(readFileSync(fixture('isso.sql'), 'utf8')));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const POST = '/2024/01/action-plan/';

describe('Isso SQLite database', () => {
  it('yields threads, then comments exactly (markdown kept, mode mapped, deleted blanked)', async () => {
    const records = await collect(parseIsso(dbPath));
    expect(records).toEqual([
      { type: 'source', format: 'isso', version: '3', title: null, url: null, siteId: null },
      article({ sourceKey: POST, url: POST, title: 'Leaders sign an action plan' }),
      article({ sourceKey: '/about/', url: '/about/', title: 'About us' }),
      comment({
        sourceId: '1',
        articleKey: POST,
        name: 'Ada Lovelace',
        email: 'ada@example.org',
        url: 'https://ada.example.org/',
        ip: '192.0.2.0',
        body: 'A **good** start & about time.\n\nRead [the analysis](https://example.org/analysis) first.',
        createdAt: at('2024-01-08T10:00:00Z'),
        sourceStatus: 'mode=1',
      }),
      comment({
        sourceId: '2',
        articleKey: POST,
        parentSourceId: '1',
        body: '',
        createdAt: at('2024-01-08T10:10:00.500Z'),
        status: 'deleted',
        sourceStatus: 'mode=4',
      }),
      comment({
        sourceId: '3',
        articleKey: POST,
        parentSourceId: '2',
        name: 'محمد',
        ip: '2001:db8::',
        body: 'أتفق معك 👍 — Zoë, naïve café (e\u0301)',
        createdAt: at('2024-01-08T10:15:00Z'),
        sourceStatus: 'mode=1',
      }),
      comment({
        sourceId: '4',
        articleKey: POST,
        parentSourceId: '1',
        name: 'New Reader',
        email: 'new@example.com',
        ip: '198.51.100.0',
        body: 'Waiting for moderation <b>raw html stays text</b>',
        createdAt: at('2024-01-08T11:00:00Z'),
        status: 'pending',
        sourceStatus: 'mode=2',
      }),
      comment({
        sourceId: '5',
        articleKey: '/about/',
        ip: '192.0.2.0',
        body: 'Nice page.',
        createdAt: at('2023-02-01T12:00:00Z'),
        sourceStatus: 'mode=1',
      }),
    ]);
  });

  it('reads the database from a stream (an upload) too', async () => {
    const fromFile = await collect(parseIsso(dbPath));
    expect(await collect(parseIsso(Readable.from([readFileSync(dbPath)])))).toEqual(fromFile);
  });

  it('refuses a database larger than the limit, whether its size is known or not', async () => {
    const known = await failure(parseIsso(dbPath, { maxBytes: 1024 }));
    expect(known).toBeInstanceOf(ImportTooLargeError);
    expect(known.message).toBe('An Isso database larger than 1024 bytes is refused (it is read into memory)');
    const streamed = await failure(parseIsso(Readable.from([readFileSync(dbPath)]), { maxBytes: 1024 }));
    expect(streamed).toBeInstanceOf(ImportTooLargeError);
  });

  it('refuses what is not an Isso database, clearly', async () => {
    const notSqlite = await failure(parseIsso(fixture('wordpress-1.2.wxr.xml')));
    expect(notSqlite).toBeInstanceOf(ImportFileError);
    expect(notSqlite.message).toBe(
      'This is not an SQLite database, so not an Isso database: it looks like a WordPress export (WXR) (--format wxr)',
    );
    const other = await failure(parseIsso(await sqlite('CREATE TABLE posts (id INTEGER);')));
    expect(other.message).toBe('This SQLite database is not an Isso database: it has no threads and comments tables');
    const corrupt = Buffer.concat([Buffer.from('SQLite format 3\u0000'), Buffer.alloc(4096, 7)]);
    const broken = await failure(parseIsso(corrupt));
    expect(broken).toBeInstanceOf(ImportFileError);
    expect(broken.message).toMatch(/^The SQLite database cannot be read: /);
    const missing = await failure(parseIsso(join(dir, 'nope.db')));
    expect(missing).toBeInstanceOf(ImportFileError);
    expect(missing.message).toMatch(/^Cannot read the file: ENOENT/);
  });
});

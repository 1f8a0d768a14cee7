// Isso's SQLite database: threads(id, uri, title) and comments(tid, id, parent, created, modified,
// mode, remote_addr, text, author, email, website, …). mode 1 is published, 2 awaits moderation,
// 4 is deleted-with-replies (Isso blanks it and keeps it for its replies). text is the markdown the
// reader typed (Isso renders it on display); remote_addr is already anonymised by Isso.
// Read with sql.js (SQLite compiled to WebAssembly: no native addon), which needs the whole file
// in memory, so files above maxBytes are refused; Isso databases are small.
import initSqlJs, { type Database, type SqlValue } from 'sql.js';
import { type ImportInput, inputSize, readAll, type SourceOptions } from './byte-source.ts';
import {
  asPlaceholder,
  cleanEmail,
  cleanIp,
  cleanLine,
  cleanMultiline,
  cleanOptional,
  cleanWebsite,
} from './clean-text.ts';
import { parseUnixSeconds } from './dates.ts';
import { formatHint } from './detect-format.ts';
import { ImportFileError, ImportTooLargeError } from './import.errors.ts';
import type { ImportedComment, ImportedStatus, ImportRecord } from './import.types.ts';

export interface IssoOptions extends SourceOptions {
  /** Largest database accepted, in bytes (default 512 MiB). */
  maxBytes?: number;
}

const DEFAULT_MAX = 512 * 1024 * 1024;
const MODES: Record<number, ImportedStatus> = { 1: 'approved', 2: 'pending', 4: 'deleted' };
const OPTIONAL = ['parent', 'mode', 'remote_addr', 'author', 'email', 'website'];

let sqlJs: ReturnType<typeof initSqlJs> | null = null;

async function load(input: ImportInput, options: IssoOptions): Promise<Uint8Array> {
  const max = options.maxBytes ?? DEFAULT_MAX;
  const limit = max >= 1024 * 1024 ? `${Math.round(max / 1024 / 1024)} MiB` : `${max} bytes`;
  const tooBig = `An Isso database larger than ${limit} is refused (it is read into memory)`;
  const size = await inputSize(input).catch(() => null);
  if (size !== null && size > max) throw new ImportTooLargeError(tooBig);
  try {
    return await readAll(input, max, options);
  } catch (err) {
    if (err instanceof ImportTooLargeError) throw new ImportTooLargeError(tooBig);
    throw err;
  }
}

async function open(bytes: Uint8Array): Promise<Database> {
  if (Buffer.from(bytes.subarray(0, 16)).toString('latin1') !== 'SQLite format 3\u0000') {
    const hint = formatHint(bytes.subarray(0, 512));
    throw new ImportFileError(`This is not an SQLite database, so not an Isso database${hint ? `: ${hint}` : ''}`);
  }
  sqlJs ??= initSqlJs();
  const SQL = await sqlJs;
  try {
    return new SQL.Database(bytes);
  } catch (err) {
    throw new ImportFileError(`The SQLite database cannot be read: ${(err as Error).message}`);
  }
}

function columnsOf(db: Database, table: string): Set<string> {
  const rows = db.exec(`PRAGMA table_info(${table})`)[0]?.values ?? [];
  return new Set(rows.map((row) => String(row[1])));
}

function commentsQuery(db: Database): string {
  const tables = new Set((db.exec("SELECT name FROM sqlite_master WHERE type = 'table'")[0]?.values ?? []).map(String));
  if (!tables.has('threads') || !tables.has('comments')) {
    throw new ImportFileError('This SQLite database is not an Isso database: it has no threads and comments tables');
  }
  const have = columnsOf(db, 'comments');
  for (const required of ['tid', 'id', 'created', 'text']) {
    if (!have.has(required)) throw new ImportFileError(`The Isso comments table has no ${required} column`);
  }
  const optional = OPTIONAL.map((c) => (have.has(c) ? `c.${c}` : `NULL AS ${c}`)).join(', ');
  // LEFT JOIN: a comment whose thread row is gone (Isso's tid is not enforced) is reported, not lost silently.
  return `SELECT c.id, c.tid, c.created, c.text, ${optional}, t.uri FROM comments c LEFT JOIN threads t ON t.id = c.tid ORDER BY c.tid, c.id`;
}

const text = (v: SqlValue | undefined): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

function toComment(row: Record<string, SqlValue>): ImportedComment | string {
  const id = text(row.id);
  const createdAt = parseUnixSeconds(row.created);
  const uri = cleanLine(text(row.uri));
  if (!createdAt) return `comment ${id} has no valid created time`;
  if (!uri) return `comment ${id} belongs to a thread with no uri`;
  const mode = Number(row.mode ?? 1);
  const status = MODES[mode] ?? 'pending';
  const comment: ImportedComment = {
    type: 'comment',
    sourceId: id,
    articleKey: uri,
    parentSourceId: row.parent === null || row.parent === undefined ? null : text(row.parent),
    name: cleanLine(text(row.author)),
    email: cleanEmail(text(row.email)),
    url: cleanWebsite(text(row.website)),
    ip: cleanIp(text(row.remote_addr)),
    userAgent: null,
    authorKey: null,
    body: cleanMultiline(text(row.text)).trim(),
    createdAt,
    status,
    sourceStatus: `mode=${mode}`,
    kind: 'comment',
    line: null,
  };
  return status === 'deleted' ? asPlaceholder(comment) : comment;
}

/** Reads an Isso database's threads, then its comments (see import.types.ts). */
export async function* parseIsso(input: ImportInput, options: IssoOptions = {}): AsyncGenerator<ImportRecord> {
  const db = await open(await load(input, options));
  try {
    yield* records(db);
  } catch (err) {
    // SQLite reports a damaged file only when it is first queried.
    if (err instanceof ImportFileError) throw err;
    throw new ImportFileError(`The SQLite database cannot be read: ${(err as Error).message}`);
  } finally {
    db.close();
  }
}

async function* records(db: Database): AsyncGenerator<ImportRecord> {
  const query = commentsQuery(db);
  const version = db.exec('PRAGMA user_version')[0]?.values[0]?.[0];
  yield { type: 'source', format: 'isso', version: text(version) || null, title: null, url: null, siteId: null };
  const threads = db.prepare('SELECT uri, title FROM threads ORDER BY id');
  try {
    while (threads.step()) {
      const [uri, title] = threads.get();
      const key = cleanLine(text(uri));
      if (!key) continue;
      const t = cleanOptional(text(title));
      yield {
        type: 'article',
        sourceKey: key,
        identifier: null,
        url: key,
        title: t,
        createdAt: null,
        closed: null,
        closedAt: null,
        line: null,
      };
    }
  } finally {
    threads.free();
  }
  const comments = db.prepare(query);
  try {
    while (comments.step()) {
      const row = comments.getAsObject();
      if (row.uri === null || row.uri === undefined) {
        const detail = `comment ${text(row.id)} names thread ${text(row.tid)}, which is not in the database`;
        yield { type: 'skipped', reason: 'missing-thread', sourceId: text(row.id), detail, line: null };
        continue;
      }
      const comment = toComment(row);
      if (typeof comment !== 'string') yield comment;
      else yield { type: 'skipped', reason: 'invalid', sourceId: text(row.id), detail: comment, line: null };
    }
  } finally {
    comments.free();
  }
}

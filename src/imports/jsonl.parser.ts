// Reads our own JSON lines export (format in jsonl.format.ts). It is our file, so it is read
// strictly: a line that breaks the schema, a newer version, or a missing end line stops the import.
import type { z } from 'zod';
import type { ImportInput } from './byte-source.ts';
import {
  asPlaceholder,
  cleanEmail,
  cleanIp,
  cleanLine,
  cleanMultiline,
  cleanOptional,
  cleanWebsite,
} from './clean-text.ts';
import { ImportFileError } from './import.errors.ts';
import type { ImportRecord } from './import.types.ts';
import { type JsonLinesOptions, readJsonLines } from './json-lines.ts';
import { articleLine, commentLine, EXPORT_FORMAT, EXPORT_VERSION, endLine, headerLine } from './jsonl.format.ts';

function check<T extends z.ZodType>(schema: T, value: unknown, line: number, what: string): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = issue.path.join('.') || '(line)';
  throw new ImportFileError(`This ${what} line is invalid: ${path}: ${issue.message}`, { line });
}

function header(value: unknown, line: number): ImportRecord {
  const format = (value as { format?: unknown } | null)?.format;
  if (format !== EXPORT_FORMAT) {
    throw new ImportFileError(`This is not one of our JSON lines exports: line 1 has no "format":"${EXPORT_FORMAT}"`, {
      line,
    });
  }
  const h = check(headerLine, value, line, 'header');
  if (h.version > EXPORT_VERSION) {
    throw new ImportFileError(
      `This export is version ${h.version}, made by a newer release; this one reads version ${EXPORT_VERSION}`,
      { line },
    );
  }
  return {
    type: 'source',
    format: 'jsonl',
    version: String(h.version),
    title: h.site?.name ?? null,
    url: null,
    siteId: h.site?.id ?? null,
  };
}

function record(value: unknown, line: number): ImportRecord {
  const type = (value as { type?: unknown } | null)?.type;
  if (type === 'article') {
    const a = check(articleLine, value, line, 'article');
    const title = cleanOptional(a.title);
    const closed = a.closedAt !== null;
    return {
      type: 'article',
      sourceKey: cleanLine(a.id),
      identifier: null,
      url: cleanOptional(a.url),
      title,
      createdAt: a.createdAt,
      closed,
      closedAt: a.closedAt,
      line,
    };
  }
  if (type === 'comment') {
    const c = check(commentLine, value, line, 'comment');
    const comment: ImportRecord = {
      type: 'comment',
      sourceId: c.id,
      articleKey: cleanLine(c.articleId),
      parentSourceId: c.parentId,
      name: cleanLine(c.name),
      email: cleanEmail(c.email),
      url: cleanWebsite(c.url),
      ip: cleanIp(c.ip),
      userAgent: cleanOptional(c.userAgent),
      authorKey: cleanOptional(c.authorKey),
      body: cleanMultiline(c.body),
      createdAt: c.createdAt,
      status: c.status,
      sourceStatus: c.status,
      kind: c.kind,
      line,
    };
    return c.status === 'deleted' ? asPlaceholder(comment) : comment;
  }
  const detail = `a line of unknown type ${JSON.stringify(type ?? null).slice(0, 100)}`;
  return { type: 'skipped', reason: 'unknown-record', sourceId: null, detail, line };
}

/** Streams one of our own exports back as records (see import.types.ts). */
export async function* parseJsonl(input: ImportInput, options: JsonLinesOptions = {}): AsyncGenerator<ImportRecord> {
  let lastLine = 0;
  let ended: { line: number; articles: number; comments: number } | null = null;
  let articles = 0;
  let comments = 0;
  for await (const { line, value } of readJsonLines(input, options)) {
    const first = lastLine === 0;
    lastLine = line;
    if (first) {
      yield header(value, line);
      continue;
    }
    if (ended) throw new ImportFileError('There is more after the end line', { line });
    if ((value as { type?: unknown } | null)?.type === 'end') {
      ended = { line, ...check(endLine, value, line, 'end') };
      continue;
    }
    const r = record(value, line);
    if (r.type === 'article') articles++;
    if (r.type === 'comment') comments++;
    yield r;
  }
  if (lastLine === 0) throw new ImportFileError('The file is empty', { line: 1 });
  if (!ended) throw new ImportFileError('The export has no end line: the file is truncated', { line: lastLine + 1 });
  if (ended.articles !== articles || ended.comments !== comments) {
    const found = `${articles} articles and ${comments} comments`;
    throw new ImportFileError(
      `The end line counts ${ended.articles} articles and ${ended.comments} comments, but the file has ${found}`,
      { line: ended.line },
    );
  }
}

// Remark42 backup (its "native" export, often gzipped): JSON lines. The first line is metadata
// {"version":1,"users":[…],"posts":[{"url","read_only"}]}; then one comment a line:
// {"id","pid","text" (HTML),"orig" (the markdown the reader typed, when kept),"user":{"name","id","ip"},
//  "locator":{"site","url"},"time","delete","title",…}. Remark42 has no moderation queue: a comment is
// published unless deleted. Its user.ip is normally a keyed hash, so only real IP addresses are kept.
// Articles are keyed by URL, as in Remark42; each is yielded before its first comment.
import type { ImportInput } from './byte-source.ts';
import { asPlaceholder, cleanIp, cleanLine, cleanMultiline, cleanOptional } from './clean-text.ts';
import { parseIsoDate } from './dates.ts';
import { htmlLine, htmlToText } from './html-to-text.ts';
import { ImportFileError } from './import.errors.ts';
import type { ImportedComment, ImportRecord } from './import.types.ts';
import { type JsonLinesOptions, readJsonLines } from './json-lines.ts';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

function readMeta(value: unknown, line: number): { version: number; readOnly: Set<string> } {
  if (!isObj(value) || !('version' in value) || 'locator' in value) {
    throw new ImportFileError('This is not a Remark42 backup: its first line is not the backup metadata', { line });
  }
  const version = Number(value.version);
  if (version !== 0 && version !== 1) {
    throw new ImportFileError(`Remark42 backup version ${str(value.version)} is not supported (only 0 and 1)`, {
      line,
    });
  }
  const readOnly = new Set<string>();
  for (const post of Array.isArray(value.posts) ? value.posts : []) {
    if (isObj(post) && post.read_only === true && typeof post.url === 'string') readOnly.add(post.url);
  }
  return { version, readOnly };
}

function toComment(value: Obj, line: number): ImportedComment | string {
  const id = cleanLine(str(value.id));
  const locator = isObj(value.locator) ? value.locator : {};
  const url = cleanLine(str(locator.url));
  const createdAt = parseIsoDate(str(value.time));
  if (!id) return 'a comment with no id';
  if (!url) return `comment ${id} has no locator.url`;
  if (!createdAt) return `comment ${id} has no valid time`;
  const user = isObj(value.user) ? value.user : {};
  const orig = str(value.orig);
  const deleted = value.delete === true;
  const comment: ImportedComment = {
    type: 'comment',
    sourceId: id,
    articleKey: url,
    parentSourceId: cleanOptional(str(value.pid)),
    name: htmlLine(str(user.name)),
    email: null,
    url: null,
    ip: cleanIp(str(user.ip)),
    userAgent: null,
    authorKey: cleanOptional(str(user.id)),
    // The markdown the reader typed is their text; the rendered HTML is the fallback.
    body: orig.trim() ? cleanMultiline(orig).trim() : htmlToText(str(value.text), 'collapse'),
    createdAt,
    status: deleted ? 'deleted' : 'approved',
    sourceStatus: deleted ? 'delete' : 'visible',
    kind: 'comment',
    line,
  };
  return deleted ? asPlaceholder(comment) : comment;
}

/** Streams a Remark42 backup's articles and comments (see import.types.ts). */
export async function* parseRemark42(input: ImportInput, options: JsonLinesOptions = {}): AsyncGenerator<ImportRecord> {
  let meta: { version: number; readOnly: Set<string> } | null = null;
  const seen = new Set<string>();
  for await (const { line, value } of readJsonLines(input, options)) {
    if (!meta) {
      meta = readMeta(value, line);
      yield { type: 'source', format: 'remark42', version: String(meta.version), title: null, url: null, siteId: null };
      continue;
    }
    if (!isObj(value)) {
      yield { type: 'skipped', reason: 'invalid', sourceId: null, detail: 'a line that is not a JSON object', line };
      continue;
    }
    const comment = toComment(value, line);
    if (typeof comment === 'string') {
      yield { type: 'skipped', reason: 'invalid', sourceId: cleanOptional(str(value.id)), detail: comment, line };
      continue;
    }
    if (!seen.has(comment.articleKey)) {
      seen.add(comment.articleKey);
      const url = comment.articleKey;
      const title = htmlLine(str(value.title)) || null;
      const closed = meta.readOnly.has(url);
      yield {
        type: 'article',
        sourceKey: url,
        identifier: null,
        url,
        title,
        createdAt: null,
        closed,
        closedAt: null,
        line,
      };
    }
    yield comment;
  }
  if (!meta) throw new ImportFileError('The file is empty: a Remark42 backup starts with a metadata line', { line: 1 });
}

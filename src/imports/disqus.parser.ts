// Disqus XML export, read as a stream: <disqus> with <category>, then <thread dsq:id> (the
// articles), then <post dsq:id> (the comments, in tree order: a parent before its replies).
// Only thread keys are remembered (the threads read, and the deleted ones, to skip their posts):
// memory is bounded by the number of threads, never by the number of posts.
// Disqus writes every thread before the posts, but a post may name a thread that is not in the file
// (Disqus keeps posts of threads it no longer lists; converters write posts first). Such posts wait
// for their thread (a bounded number of them; past that they are yielded as they are, with a thread
// the importer knows only by its key); those still waiting at the end are skipped as missing-thread,
// rather than becoming an article nobody can find.
// Deleted posts are yielded as placeholders (status deleted, no text or personal data): whether
// one has replies is known only further down the file, so the importer drops the childless ones.
import type { ImportInput } from './byte-source.ts';
import { asPlaceholder, cleanEmail, cleanIp, cleanLine, cleanOptional } from './clean-text.ts';
import { parseIsoDate } from './dates.ts';
import { htmlLine, htmlToText } from './html-to-text.ts';
import type { ImportedComment, ImportedStatus, ImportRecord } from './import.types.ts';
import { parseXml, type XmlCursor, type XmlOptions, type XmlVisitor } from './xml-stream.ts';

const SMALL = 64 * 1024;
const THREAD_FIELDS = new Set(['id', 'link', 'title', 'createdAt', 'isClosed', 'isDeleted']);
const POST_FIELDS = new Set(['id', 'message', 'createdAt', 'isDeleted', 'isSpam', 'ipAddress']);
const AUTHOR_FIELDS = new Set(['name', 'email', 'username', 'isAnonymous']);

interface Element {
  kind: 'thread' | 'post';
  line: number;
  dsqId: string;
  fields: Record<string, string>;
  author: Record<string, string>;
  threadRef: string;
  parentRef: string;
}

const isTrue = (value: string | undefined) => value?.trim().toLowerCase() === 'true';

/** Posts kept while they wait for a thread later in the file. */
const MAX_WAITING = 20_000;

class DisqusVisitor implements XmlVisitor<ImportRecord> {
  private readonly threads = new Set<string>();
  private readonly deletedThreads = new Set<string>();
  /** Posts read before their thread, by thread key (in file order). */
  private readonly waiting = new Map<string, ImportedComment[]>();
  private waitingCount = 0;
  private el: Element | null = null;

  open(name: string, attrs: Record<string, string>, cur: XmlCursor<ImportRecord>): void {
    const depth = cur.depth;
    if (depth === 1) {
      this.openRoot(name, cur);
      return;
    }
    if (depth === 2 && (name === 'thread' || name === 'post')) {
      const dsqId = cleanLine(attrs['dsq:id']);
      this.el = { kind: name, line: cur.line, dsqId, fields: {}, author: {}, threadRef: '', parentRef: '' };
      return;
    }
    const el = this.el;
    if (!el) return;
    if (depth === 3 && el.kind === 'post' && name === 'thread') el.threadRef = cleanLine(attrs['dsq:id']);
    else if (depth === 3 && el.kind === 'post' && name === 'parent') el.parentRef = cleanLine(attrs['dsq:id']);
    else if (depth === 3 && (el.kind === 'thread' ? THREAD_FIELDS : POST_FIELDS).has(name)) {
      cur.capture(name === 'message' ? undefined : SMALL);
    } else if (depth === 4 && el.kind === 'post' && AUTHOR_FIELDS.has(name)) cur.capture(SMALL);
  }

  close(name: string, text: string | null, cur: XmlCursor<ImportRecord>): void {
    const el = this.el;
    if (!el) return;
    if (cur.depth === 2) {
      this.el = null;
      if (el.kind === 'thread') this.closeThread(el, cur);
      else this.closePost(el, cur);
    } else if (cur.depth === 3 && text !== null) el.fields[name] = text.trim();
    else if (cur.depth === 4 && text !== null) el.author[name] = text.trim();
  }

  end(cur: XmlCursor<ImportRecord>): void {
    for (const [thread, posts] of this.waiting) {
      for (const post of posts) {
        const detail = `post ${post.sourceId} names thread ${thread}, which is not in the file`;
        cur.emit({ type: 'skipped', reason: 'missing-thread', sourceId: post.sourceId, detail, line: post.line });
      }
    }
    this.waiting.clear();
  }

  /** Posts that waited for this thread: yielded after it, or skipped with it when it was deleted. */
  private release(key: string, deleted: boolean, cur: XmlCursor<ImportRecord>): void {
    const posts = this.waiting.get(key);
    if (!posts) return;
    this.waiting.delete(key);
    this.waitingCount -= posts.length;
    for (const post of posts) {
      if (!deleted) cur.emit(post);
      else {
        const detail = `post ${post.sourceId} belongs to deleted thread ${key}`;
        cur.emit({ type: 'skipped', reason: 'deleted-thread', sourceId: post.sourceId, detail, line: post.line });
      }
    }
  }

  private openRoot(name: string, cur: XmlCursor<ImportRecord>): void {
    if (name === 'disqus') {
      cur.emit({ type: 'source', format: 'disqus', version: null, title: null, url: null, siteId: null });
      return;
    }
    const hint = name === 'rss' ? ': it looks like a WordPress export (--format wxr)' : '';
    cur.fail(`This is not a Disqus export: its root element is <${name}>, not <disqus>${hint}`);
  }

  private closeThread(el: Element, cur: XmlCursor<ImportRecord>): void {
    const f = el.fields;
    const key = el.dsqId || cleanLine(f.id);
    if (!key) {
      cur.emit({
        type: 'skipped',
        reason: 'invalid',
        sourceId: null,
        detail: 'a thread with no dsq:id',
        line: el.line,
      });
      return;
    }
    if (isTrue(f.isDeleted)) {
      this.deletedThreads.add(key);
      const detail = `thread ${key} was deleted in Disqus; its posts are skipped`;
      cur.emit({ type: 'skipped', reason: 'deleted-thread', sourceId: key, detail, line: el.line });
      this.release(key, true, cur);
      return;
    }
    this.threads.add(key);
    cur.emit({
      type: 'article',
      sourceKey: key,
      identifier: cleanOptional(f.id),
      url: cleanOptional(f.link),
      title: htmlLine(f.title) || null,
      createdAt: parseIsoDate(f.createdAt),
      closed: f.isClosed === undefined ? null : isTrue(f.isClosed),
      closedAt: null,
      line: el.line,
    });
    this.release(key, false, cur);
  }

  private closePost(el: Element, cur: XmlCursor<ImportRecord>): void {
    const f = el.fields;
    const id = el.dsqId || cleanLine(f.id);
    const createdAt = parseIsoDate(f.createdAt);
    const problem = !id
      ? 'a post with no dsq:id'
      : !el.threadRef
        ? `post ${id} names no thread`
        : !createdAt
          ? `post ${id} has no valid createdAt`
          : null;
    if (problem) {
      cur.emit({ type: 'skipped', reason: 'invalid', sourceId: id || null, detail: problem, line: el.line });
      return;
    }
    if (this.deletedThreads.has(el.threadRef)) {
      const detail = `post ${id} belongs to deleted thread ${el.threadRef}`;
      cur.emit({ type: 'skipped', reason: 'deleted-thread', sourceId: id, detail, line: el.line });
      return;
    }
    const deleted = isTrue(f.isDeleted);
    const spam = isTrue(f.isSpam);
    const status: ImportedStatus = deleted ? 'deleted' : spam ? 'spam' : 'approved';
    const comment: ImportedComment = {
      type: 'comment',
      sourceId: id,
      articleKey: el.threadRef,
      parentSourceId: el.parentRef || null,
      name: cleanLine(el.author.name),
      email: cleanEmail(el.author.email),
      url: null,
      ip: cleanIp(f.ipAddress),
      userAgent: null,
      authorKey: cleanOptional(el.author.username),
      body: htmlToText(f.message ?? '', 'collapse'),
      createdAt: createdAt!,
      status,
      sourceStatus: deleted ? 'isDeleted' : spam ? 'isSpam' : 'visible',
      kind: 'comment',
      line: el.line,
    };
    const post = deleted ? asPlaceholder(comment) : comment;
    if (this.threads.has(el.threadRef) || this.waitingCount >= MAX_WAITING) {
      cur.emit(post);
      return;
    }
    const list = this.waiting.get(el.threadRef);
    if (list) list.push(post);
    else this.waiting.set(el.threadRef, [post]);
    this.waitingCount++;
  }
}

/** Streams a Disqus export's threads and posts (see import.types.ts), in file order. */
export function parseDisqus(input: ImportInput, options: XmlOptions = {}): AsyncGenerator<ImportRecord> {
  return parseXml(input, new DisqusVisitor(), options);
}

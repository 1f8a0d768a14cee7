// WordPress eXtended RSS (WXR 1.0, 1.1, 1.2 and the Disqus flavour of it), read as a stream.
// <rss xmlns:wp="http://wordpress.org/export/1.x/"><channel> … <item> (a post) with its fields and
// <wp:comment> blocks. Field order follows WordPress's exporter (post fields before comments);
// item fields that appear only after the item's first comment are not used for that item.
import type { ImportInput } from './byte-source.ts';
import { asPlaceholder, cleanEmail, cleanIp, cleanLine, cleanOptional, cleanWebsite } from './clean-text.ts';
import { parseWordPressDate } from './dates.ts';
import { htmlLine, htmlToText } from './html-to-text.ts';
import { type ImportedKind, type ImportedStatus, type ImportRecord, isImportedStatus } from './import.types.ts';
import { STATUS_META_KEY, WXR_NAMESPACE, WXR_STATUSES, WXR_UNKNOWN_STATUS } from './wxr.format.ts';
import { parseXml, type XmlCursor, type XmlOptions, type XmlVisitor } from './xml-stream.ts';

export interface WxrOptions extends XmlOptions {
  /** Post types whose comments are imported (default post and page); others are reported skipped. */
  postTypes?: readonly string[];
}

const SMALL = 64 * 1024;
const CHANNEL_FIELDS = new Set(['title', 'link', 'wp:wxr_version', 'wp:base_site_url']);
const ITEM_FIELDS = new Set([
  'title',
  'link',
  'guid',
  'wp:post_id',
  'wp:post_type',
  'wp:post_date_gmt',
  'wp:post_date',
  'wp:comment_status',
  'dsq:thread_identifier',
]);
const COMMENT_FIELDS = new Set([
  'wp:comment_id',
  'wp:comment_author',
  'wp:comment_author_email',
  'wp:comment_author_url',
  'wp:comment_author_IP',
  'wp:comment_date',
  'wp:comment_date_gmt',
  'wp:comment_content',
  'wp:comment_approved',
  'wp:comment_type',
  'wp:comment_parent',
  'wp:comment_user_id',
  'wp:comment_agent',
]);
const KINDS: Record<string, ImportedKind> = {
  '': 'comment',
  comment: 'comment',
  pingback: 'pingback',
  trackback: 'trackback',
};

type Fields = Record<string, string>;
interface Item {
  line: number;
  fields: Fields;
  /** Decided at the item's first comment: its article key, or why its comments are skipped. */
  key: string | null;
  skipped: { reason: 'post-type' | 'invalid'; detail: string; count: number } | null;
  decided: boolean;
}

class WxrVisitor implements XmlVisitor<ImportRecord> {
  private version: string | null = null;
  private readonly channel: Fields = {};
  private sourceSent = false;
  private item: Item | null = null;
  private comment: { line: number; fields: Fields; metaKey: string | null; status: string | null } | null = null;

  constructor(private readonly postTypes: ReadonlySet<string>) {}

  open(name: string, attrs: Record<string, string>, cur: XmlCursor<ImportRecord>): void {
    const depth = cur.depth;
    if (depth === 1) this.openRoot(name, attrs, cur);
    else if (depth === 3 && name === 'item') {
      this.sendSource(cur);
      this.item = { line: cur.line, fields: {}, key: null, skipped: null, decided: false };
    } else if (depth === 3 && CHANNEL_FIELDS.has(name)) cur.capture(SMALL);
    else if (depth === 4 && this.item && name === 'wp:comment') {
      this.comment = { line: cur.line, fields: {}, metaKey: null, status: null };
    } else if (depth === 4 && this.item && ITEM_FIELDS.has(name)) cur.capture(SMALL);
    else if (depth === 5 && this.comment && COMMENT_FIELDS.has(name)) {
      cur.capture(name === 'wp:comment_content' ? undefined : SMALL);
    } else if (depth === 6 && this.comment && name === 'wp:meta_key') cur.capture(SMALL);
    else if (depth === 6 && this.comment?.metaKey === STATUS_META_KEY && name === 'wp:meta_value') cur.capture(SMALL);
  }

  close(name: string, text: string | null, cur: XmlCursor<ImportRecord>): void {
    const depth = cur.depth;
    if (depth === 3 && name === 'item') this.closeItem(cur);
    else if (depth === 3 && text !== null && !this.item) this.channel[name] = text.trim();
    else if (depth === 4 && name === 'wp:comment') this.closeComment(cur);
    else if (depth === 4 && text !== null && this.item && !this.item.decided) this.item.fields[name] = text.trim();
    else if (depth === 5 && text !== null && this.comment) this.comment.fields[name] = text;
    else if (depth === 5 && name === 'wp:commentmeta' && this.comment) this.comment.metaKey = null;
    else if (depth === 6 && this.comment && name === 'wp:meta_key') this.comment.metaKey = text?.trim() ?? null;
    else if (depth === 6 && this.comment && name === 'wp:meta_value' && text !== null) {
      this.comment.status = text.trim();
    }
  }

  end(cur: XmlCursor<ImportRecord>): void {
    this.sendSource(cur);
  }

  private openRoot(name: string, attrs: Record<string, string>, cur: XmlCursor<ImportRecord>): void {
    if (name !== 'rss') {
      const hint = name === 'disqus' ? ': it looks like a Disqus export (--format disqus)' : '';
      cur.fail(`This is not a WordPress export (WXR): its root element is <${name}>, not <rss>${hint}`);
    }
    const ns = WXR_NAMESPACE.exec(attrs['xmlns:wp'] ?? '');
    if (!ns) cur.fail('This RSS file has no WordPress export namespace (xmlns:wp): it is not a WXR file');
    this.version = ns[1]!;
  }

  private sendSource(cur: XmlCursor<ImportRecord>): void {
    if (this.sourceSent) return;
    this.sourceSent = true;
    cur.emit({
      type: 'source',
      format: 'wxr',
      version: this.channel['wp:wxr_version'] || this.version,
      title: htmlLine(this.channel.title) || null,
      url: cleanOptional(this.channel['wp:base_site_url'] || this.channel.link),
      siteId: null,
    });
  }

  /** At an item's first comment: emit its article, or decide why its comments are skipped. */
  private decide(item: Item, cur: XmlCursor<ImportRecord>): void {
    item.decided = true;
    const f = item.fields;
    const postType = f['wp:post_type'] || 'post';
    if (!this.postTypes.has(postType)) {
      item.skipped = { reason: 'post-type', detail: `post type "${cleanLine(postType)}"`, count: 0 };
      return;
    }
    const key = cleanLine(f['wp:post_id'] || f['dsq:thread_identifier'] || f.guid || f.link);
    if (!key) {
      item.skipped = { reason: 'invalid', detail: 'an item with no wp:post_id, guid or link', count: 0 };
      return;
    }
    item.key = key;
    const status = f['wp:comment_status'];
    cur.emit({
      type: 'article',
      sourceKey: key,
      identifier: f['wp:post_id'] && f['dsq:thread_identifier'] ? cleanLine(f['dsq:thread_identifier']) : null,
      url: cleanOptional(f.link),
      title: htmlLine(f.title) || null,
      createdAt: parseWordPressDate(f['wp:post_date_gmt']) ?? parseWordPressDate(f['wp:post_date']),
      closed: status === 'closed' ? true : status === 'open' ? false : null,
      closedAt: null,
      line: item.line,
    });
  }

  private closeComment(cur: XmlCursor<ImportRecord>): void {
    const item = this.item!;
    const comment = this.comment!;
    this.comment = null;
    if (!item.decided) this.decide(item, cur);
    if (item.skipped) {
      item.skipped.count++;
      return;
    }
    const f = comment.fields;
    const id = cleanLine(f['wp:comment_id']);
    const createdAt = parseWordPressDate(f['wp:comment_date_gmt']) ?? parseWordPressDate(f['wp:comment_date']);
    if (!id || !createdAt) {
      const detail = id ? `comment ${id} has no valid comment_date` : 'a comment with no wp:comment_id';
      cur.emit({ type: 'skipped', reason: 'invalid', sourceId: id || null, detail, line: comment.line });
      return;
    }
    // Any other comment_type is not a reader's comment: WordPress 6.9's editors' notes on blocks
    // ("note", held as unapproved comments), WooCommerce's order notes, plugins' webmentions and logs.
    const type = cleanLine(f['wp:comment_type']).toLowerCase();
    const kind = Object.hasOwn(KINDS, type) ? KINDS[type] : undefined;
    if (!kind) {
      const detail = `comment ${id} is of type "${type}", not a reader's comment`;
      cur.emit({ type: 'skipped', reason: 'comment-type', sourceId: id, detail, line: comment.line });
      return;
    }
    const approved = cleanLine(f['wp:comment_approved']);
    const status: ImportedStatus = isImportedStatus(comment.status)
      ? comment.status
      : Object.hasOwn(WXR_STATUSES, approved.toLowerCase())
        ? WXR_STATUSES[approved.toLowerCase()]!
        : WXR_UNKNOWN_STATUS;
    const parent = cleanLine(f['wp:comment_parent']);
    const userId = cleanLine(f['wp:comment_user_id']);
    const record = {
      type: 'comment' as const,
      sourceId: id,
      articleKey: item.key!,
      parentSourceId: parent && parent !== '0' ? parent : null,
      name: htmlLine(f['wp:comment_author']),
      email: cleanEmail(f['wp:comment_author_email']),
      url: cleanWebsite(f['wp:comment_author_url']),
      ip: cleanIp(f['wp:comment_author_IP']),
      userAgent: cleanOptional(f['wp:comment_agent']),
      authorKey: userId && userId !== '0' ? userId : null,
      body: htmlToText(f['wp:comment_content'] ?? '', 'preserve'),
      createdAt,
      status,
      sourceStatus: approved,
      kind,
      line: comment.line,
    };
    cur.emit(status === 'deleted' ? asPlaceholder(record) : record);
  }

  private closeItem(cur: XmlCursor<ImportRecord>): void {
    const item = this.item!;
    this.item = null;
    if (!item.skipped || item.skipped.count === 0) return;
    const { reason, detail, count } = item.skipped;
    const sourceId = cleanOptional(item.fields['wp:post_id']);
    const comments = `${count} comment${count === 1 ? '' : 's'}`;
    cur.emit({ type: 'skipped', reason, sourceId, detail: `${detail}: ${comments}`, line: item.line });
  }
}

/** Streams a WXR file's articles and comments (see import.types.ts), in file order. */
export function parseWxr(input: ImportInput, options: WxrOptions = {}): AsyncGenerator<ImportRecord> {
  const visitor = new WxrVisitor(new Set(options.postTypes ?? ['post', 'page']));
  return parseXml(input, visitor, options);
}

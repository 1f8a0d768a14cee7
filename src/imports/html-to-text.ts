// Source comment bodies are HTML (Disqus, Remark42) or WordPress's HTML-with-line-breaks; we store
// plain text with \n line breaks and escape it on output (src/comments/public-comment.ts turns
// blank lines into paragraphs, line breaks into <br> and http(s) URLs into links). So:
// - entities are decoded (&amp; → &, &eacute; → é, &#x1F600; → 😀);
// - <br> is a line break; block elements (p, div, li, blockquote, pre, headings, tables) end a line
//   or a paragraph; blockquote lines get "> ", list items "- " or "1. ";
// - <a href="https://…">label</a> becomes "label (https://…)", or just the URL when the label is the
//   URL or a shortened form of it ("example.com/very/lo…"); non-http(s) links keep only their label;
// - <img> becomes its alt text, else its http(s) src; script, style and similar are dropped with
//   their content; every other tag is stripped, its text kept;
// - whitespace: 'collapse' (HTML semantics: runs of spaces and newlines are one space, except in
//   <pre>) for Disqus and Remark42; 'preserve' for WordPress, whose stored comments keep the
//   newlines the reader typed (WordPress adds <p>/<br> only when it displays them).
// htmlparser2 does the tokenising (malformed HTML, implied end tags, entity tables); the rules
// above are ours because no library maps HTML to *our* text model.
import { decodeHTML } from 'entities';
import { Parser } from 'htmlparser2';
import { cleanLine, cleanMultiline } from './clean-text.ts';

export type Whitespace = 'preserve' | 'collapse';

const PARAGRAPH_BLOCKS = new Set([
  'p',
  'blockquote',
  'pre',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'ul',
  'ol',
  'table',
  'hr',
  'figure',
  'dl',
  'address',
]);
const LINE_BLOCKS = new Set([
  'div',
  'li',
  'tr',
  'dt',
  'dd',
  'section',
  'article',
  'header',
  'footer',
  'figcaption',
  'details',
  'summary',
  'caption',
]);
const HIDDEN = new Set(['script', 'style', 'head', 'title', 'template', 'noscript', 'iframe', 'object', 'svg', 'math']);
// Whitespace directly inside these is layout of the markup, not text.
const CONTAINERS = new Set(['ul', 'ol', 'table', 'thead', 'tbody', 'tfoot', 'tr', 'dl']);

function httpUrl(value: string | undefined): string | null {
  if (!value) return null;
  try {
    const url = new URL(value.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

function bare(url: string): string {
  return url
    .toLowerCase()
    .replace(/^https?:\/\//, '')
    .replace(/^www\./, '')
    .replace(/\/$/, '');
}

/** The label says nothing the URL does not: the URL itself, or a shortened form ending in an ellipsis. */
function labelIsUrl(label: string, href: string): boolean {
  const shortened = /(\.\.\.|…)$/.test(label);
  const l = bare(label.replace(/(\.\.\.|…)$/, ''));
  const h = bare(href);
  return l === h || bare(decodeURIComponentSafe(h)) === l || (shortened && l.length >= 8 && h.startsWith(l));
}

function decodeURIComponentSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

class TextBuilder {
  out = '';
  private quoteDepth = 0;
  private preDepth = 0;
  private hiddenDepth = 0;
  private readonly stack: string[] = [];
  private readonly lists: Array<{ ordered: boolean; n: number }> = [];
  private readonly links: Array<{ href: string | null; start: number }> = [];

  constructor(private readonly mode: Whitespace) {}

  open(name: string, attrs: Record<string, string>): void {
    this.stack.push(name);
    if (HIDDEN.has(name)) this.hiddenDepth++;
    if (this.hiddenDepth) return;
    if (name === 'br') this.out += '\n';
    else if (name === 'img') this.text(attrs.alt?.trim() || httpUrl(attrs.src) || '');
    else if (name === 'a') this.links.push({ href: httpUrl(attrs.href), start: this.out.length });
    else if (PARAGRAPH_BLOCKS.has(name) || LINE_BLOCKS.has(name)) this.openBlock(name);
  }

  close(name: string): void {
    this.stack.pop();
    if (HIDDEN.has(name)) this.hiddenDepth--;
    if (this.hiddenDepth) return;
    if (name === 'a') this.closeLink();
    else if (PARAGRAPH_BLOCKS.has(name)) this.endBlock(2);
    else if (LINE_BLOCKS.has(name)) this.endBlock(1);
    if (name === 'blockquote') this.quoteDepth = Math.max(0, this.quoteDepth - 1);
    if (name === 'pre') this.preDepth = Math.max(0, this.preDepth - 1);
    if (name === 'ul' || name === 'ol') this.lists.pop();
  }

  text(raw: string): void {
    if (this.hiddenDepth || raw === '') return;
    const collapse = this.mode === 'collapse' && this.preDepth === 0;
    if (CONTAINERS.has(this.stack.at(-1) ?? '') && raw.trim() === '') return;
    const lines = (collapse ? raw.replace(/[ \t\n\r\f]+/g, ' ') : raw.replace(/\r\n?/g, '\n')).split('\n');
    lines.forEach((line, i) => {
      if (i > 0) this.out += '\n';
      let piece = line;
      const atLineStart = this.out === '' || this.out.endsWith('\n');
      if (collapse && (atLineStart || this.out.endsWith(' '))) piece = piece.replace(/^ +/, '');
      if (piece === '') return;
      if (atLineStart && this.quoteDepth) this.out += '> '.repeat(this.quoteDepth);
      this.out += piece;
    });
  }

  private openBlock(name: string): void {
    this.endBlock(PARAGRAPH_BLOCKS.has(name) ? 2 : 1);
    if (name === 'blockquote') this.quoteDepth++;
    else if (name === 'pre') this.preDepth++;
    else if (name === 'ul' || name === 'ol') this.lists.push({ ordered: name === 'ol', n: 0 });
    else if (name === 'li') {
      const list = this.lists.at(-1);
      if (list) list.n++;
      this.text(list?.ordered ? `${list.n}. ` : '- ');
    }
  }

  /** Ends the current line (1) or paragraph (2), never adding to newlines already there. */
  private endBlock(newlines: 1 | 2): void {
    if (this.mode === 'collapse') this.out = this.out.replace(/ +$/, '');
    if (this.out === '') return;
    const have = /\n*$/.exec(this.out)![0].length;
    if (have < newlines) this.out += '\n'.repeat(newlines - have);
  }

  private closeLink(): void {
    const link = this.links.pop();
    if (!link?.href) return;
    const inner = this.out.slice(link.start);
    const label = inner.trim();
    if (label === '') this.text(link.href);
    else if (labelIsUrl(label, link.href)) {
      this.out = this.out.slice(0, link.start) + (/^\s/.test(inner) ? ' ' : '') + link.href;
    } else this.text(` (${link.href})`);
  }
}

function finish(text: string, mode: Whitespace): string {
  let out = cleanMultiline(text);
  if (mode === 'collapse') out = out.replace(/[ \t]+\n/g, '\n');
  // Three or more line breaks render exactly like two (a paragraph break).
  return out.replace(/\n{3,}/g, '\n\n').trim();
}

/** Converts a source comment body to our plain-text model (rules above). */
export function htmlToText(html: string, mode: Whitespace): string {
  if (!/[<&]/.test(html)) {
    return finish(mode === 'collapse' ? html.replace(/[ \t\n\r\f]+/g, ' ') : html, mode);
  }
  const builder = new TextBuilder(mode);
  const parser = new Parser(
    {
      onopentag: (name, attrs) => builder.open(name, attrs),
      onclosetag: (name) => builder.close(name),
      ontext: (text) => builder.text(text),
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();
  return finish(builder.out, mode);
}

/**
 * A one-line field the source stored HTML-escaped (WordPress and Remark42 author names, page
 * titles): entities decoded, nothing else interpreted, so "Grace &lt;Hopper&gt;" is "Grace <Hopper>".
 */
export function htmlLine(value: string | null | undefined): string {
  return value?.includes('&') ? cleanLine(decodeHTML(value)) : cleanLine(value);
}

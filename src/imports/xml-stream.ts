// A hardened, streaming XML reader for the import parsers: sax (pure JS, SAX-style) fed in small
// slices, so memory stays flat whatever the file's size. The hostile-input rules live here:
// - a DOCTYPE with an internal subset or an external id is refused before anything is parsed, so
//   no entity is ever declared (billion laughs) or resolved (SYSTEM "file:///etc/passwd"); sax
//   never fetches anything, and an undeclared entity reference is an error, never expanded;
// - nesting deeper than maxDepth, more than maxAttributes on one element, a captured text field
//   longer than its limit, and any other token past sax's 64 KiB buffer limit stop the parse;
// - text that no visitor captures (post bodies, meta values) is streamed through and dropped;
// - every error names the line (and column) where the parser stood.
import { TextDecoder } from 'node:util';
import sax from 'sax';
import { type ImportInput, readBytes, type SourceOptions } from './byte-source.ts';
import { formatHint } from './detect-format.ts';
import { ImportFileError, ImportTooLargeError } from './import.errors.ts';

export interface XmlLimits {
  maxDepth: number;
  maxAttributes: number;
  /** Default cap on a captured field, in characters (a visitor may ask for less). */
  maxFieldChars: number;
}

export const DEFAULT_XML_LIMITS: XmlLimits = { maxDepth: 64, maxAttributes: 64, maxFieldChars: 1024 * 1024 };

export interface XmlCursor<T> {
  /** Depth of the element being opened or closed; the root element is 1. */
  readonly depth: number;
  /** 1-based line where the parser is now. */
  readonly line: number;
  /** Called from open(): collect the element's text (CDATA included) and hand it to close(). */
  capture(maxChars?: number): void;
  emit(record: T): void;
  fail(message: string): never;
}

export interface XmlVisitor<T> {
  open(name: string, attrs: Record<string, string>, cursor: XmlCursor<T>): void;
  close(name: string, text: string | null, cursor: XmlCursor<T>): void;
  /** After the root element closed; emit anything still pending. */
  end(cursor: XmlCursor<T>): void;
}

export interface XmlOptions extends SourceOptions {
  limits?: Partial<XmlLimits>;
}

// Whitespace before the declaration is not allowed by XML, but exporters write it (a PHP file with a
// newline before its "<?php" tag puts it in every WordPress export the site makes).
const DECLARED_ENCODING = /^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/;

/** The text encoding: a byte order mark, else the XML declaration, else UTF-8. */
function decoderFor(head: Uint8Array): TextDecoder {
  // A UTF-8 byte order mark wins over a declaration that says otherwise (the file was re-saved).
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return new TextDecoder('utf-8');
  if (head[0] === 0xff && head[1] === 0xfe) return new TextDecoder('utf-16le');
  if (head[0] === 0xfe && head[1] === 0xff) return new TextDecoder('utf-16be');
  if (head[0] === 0x3c && head[1] === 0x00) return new TextDecoder('utf-16le');
  if (head[0] === 0x00 && head[1] === 0x3c) return new TextDecoder('utf-16be');
  const declared = DECLARED_ENCODING.exec(Buffer.from(head.subarray(0, 200)).toString('latin1'))?.[1];
  try {
    // Invalid byte sequences become U+FFFD: old WordPress databases often hold mixed encodings.
    return new TextDecoder(declared ?? 'utf-8');
  } catch {
    throw new ImportFileError(`The XML declares an encoding this importer does not know: ${declared}`, { line: 1 });
  }
}

const SAX_MESSAGES: Array<[RegExp, string]> = [
  [/^Unclosed root tag|^Unexpected end/, 'The XML ends before it is complete: is the file truncated?'],
  [/^Non-whitespace before first tag/, 'This is not an XML file'],
  [/^Text data outside of root node/, 'There is text after the end of the XML document'],
  [/^Unexpected close tag|^Unmatched closing tag/, 'A closing tag does not match the element it closes'],
  [/^Invalid character entity/, 'An unknown entity is referenced (only XML and HTML named entities are known)'],
];

function describeSaxError(message: string): string {
  const first = message.split('\n')[0] ?? message;
  for (const [pattern, text] of SAX_MESSAGES) if (pattern.test(first)) return text;
  return `Malformed XML: ${first}`;
}

/** A few characters, then the XML: a copy-paste slip (a quote, a backtick) rather than another format. */
function strayBeforeXml(head: Uint8Array): boolean {
  const start = Buffer.from(head.subarray(0, 64))
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart();
  const at = start.indexOf('<');
  return at > 0 && at <= 8 && /^<(\?xml|rss|disqus)\b/.test(start.slice(at));
}

interface Capture {
  depth: number;
  name: string;
  parts: string[];
  length: number;
  max: number;
}

/** One document's sax parser with our limits, feeding a visitor and collecting what it emits. */
class LimitedSax<T> implements XmlCursor<T> {
  readonly queue: T[] = [];
  depth = 0;
  sawRoot = false;
  head: Uint8Array | null = null;
  private readonly parser = sax.parser(true, { position: true });
  private attributes = 0;
  private captured: Capture | null = null;
  private captureRequest: number | null = null;

  constructor(
    private readonly visitor: XmlVisitor<T>,
    private readonly limits: XmlLimits,
  ) {
    const p = this.parser;
    p.ontext = (text) => this.onText(text);
    p.oncdata = (text) => this.onText(text);
    p.onerror = (err) => this.onError(err);
    p.ondoctype = (doctype) => {
      if (/[[]|\bSYSTEM\b|\bPUBLIC\b/i.test(doctype)) {
        this.fail('The XML has a DOCTYPE with entity declarations or an external DTD; such files are refused');
      }
    };
    p.onsgmldeclaration = () => this.fail('The XML has an SGML declaration (<!…>) outside a DOCTYPE; refused');
    p.onopentagstart = () => {
      this.attributes = 0;
    };
    p.onattribute = () => {
      if (++this.attributes > limits.maxAttributes)
        this.fail(`An element has more than ${limits.maxAttributes} attributes`);
    };
    p.onopentag = (tag) => this.onOpen(tag.name, tag.attributes as Record<string, string>);
    p.onclosetag = (name) => this.onClose(name);
  }

  get line(): number {
    return this.parser.line + 1;
  }

  // sax counts lines from 0 and columns as characters consumed (so the last one read, from 1).
  private pos() {
    return { line: this.parser.line + 1, column: this.parser.column };
  }

  capture(maxChars?: number): void {
    this.captureRequest = Math.min(maxChars ?? this.limits.maxFieldChars, this.limits.maxFieldChars);
  }

  emit(record: T): void {
    this.queue.push(record);
  }

  fail(message: string): never {
    throw new ImportFileError(message, this.pos());
  }

  write(text: string): void {
    this.parser.write(text);
  }

  close(): void {
    if (!this.sawRoot) throw new ImportFileError('The file is empty or holds no XML element', { line: this.line });
    this.parser.close();
    this.visitor.end(this);
  }

  private onText(text: string): void {
    const c = this.captured;
    if (!c) return;
    c.length += text.length;
    if (c.length > c.max) throw new ImportTooLargeError(`<${c.name}> is longer than ${c.max} characters`, this.pos());
    c.parts.push(text);
  }

  private onError(err: Error): never {
    if (/^Max buffer length exceeded/.test(err.message)) {
      throw new ImportTooLargeError('One XML token is longer than the 64 KiB allowed outside text', this.pos());
    }
    let text = describeSaxError(err.message);
    const hint = text === 'This is not an XML file' && this.head ? formatHint(this.head) : '';
    if (text === 'This is not an XML file' && !hint && this.head && strayBeforeXml(this.head)) {
      text = 'There are stray characters before the XML starts: remove them and import the file again';
    }
    throw new ImportFileError(hint ? `${text}: ${hint}` : text, this.pos());
  }

  private onOpen(name: string, attrs: Record<string, string>): void {
    this.depth++;
    this.sawRoot = true;
    if (this.depth > this.limits.maxDepth) this.fail(`The XML nests deeper than ${this.limits.maxDepth} elements`);
    this.captureRequest = null;
    this.visitor.open(name, attrs, this);
    if (this.captureRequest !== null && !this.captured) {
      this.captured = { depth: this.depth, name, parts: [], length: 0, max: this.captureRequest };
    }
  }

  private onClose(name: string): void {
    let text: string | null = null;
    if (this.captured && this.captured.depth === this.depth) {
      text = this.captured.parts.join('');
      this.captured = null;
    }
    this.visitor.close(name, text, this);
    this.depth--;
  }
}

/** Streams `input` through sax and `visitor`, yielding what the visitor emits as it goes. */
export async function* parseXml<T>(input: ImportInput, visitor: XmlVisitor<T>, options: XmlOptions = {}) {
  const reader = new LimitedSax(visitor, { ...DEFAULT_XML_LIMITS, ...options.limits });
  let decoder: TextDecoder | null = null;
  for await (const chunk of readBytes(input, options)) {
    if (!decoder) {
      reader.head = chunk.subarray(0, 512);
      decoder = decoderFor(reader.head);
    }
    reader.write(decoder.decode(chunk, { stream: true }));
    yield* reader.queue.splice(0);
  }
  if (decoder) reader.write(decoder.decode());
  reader.close();
  yield* reader.queue.splice(0);
}

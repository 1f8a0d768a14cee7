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

const DECLARED_ENCODING = /^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/;

/** The text encoding: a byte order mark, else the XML declaration, else UTF-8. */
function decoderFor(head: Uint8Array): TextDecoder {
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

/** Streams `input` through sax and `visitor`, yielding what the visitor emits as it goes. */
export async function* parseXml<T>(input: ImportInput, visitor: XmlVisitor<T>, options: XmlOptions = {}) {
  const limits = { ...DEFAULT_XML_LIMITS, ...options.limits };
  const parser = sax.parser(true, { position: true });
  const queue: T[] = [];
  let depth = 0;
  let attributes = 0;
  let sawRoot = false;
  let head: Uint8Array | null = null;
  let captured: { depth: number; name: string; parts: string[]; length: number; max: number } | null = null;
  let captureRequest: number | null = null;

  // sax counts lines from 0 and columns as characters consumed (so the last one read, from 1).
  const pos = () => ({ line: parser.line + 1, column: parser.column });
  const fail = (message: string): never => {
    throw new ImportFileError(message, pos());
  };
  const cursor: XmlCursor<T> = {
    get depth() {
      return depth;
    },
    get line() {
      return parser.line + 1;
    },
    capture: (maxChars) => {
      captureRequest = Math.min(maxChars ?? limits.maxFieldChars, limits.maxFieldChars);
    },
    emit: (record) => queue.push(record),
    fail,
  };

  const onText = (text: string) => {
    if (!captured) return;
    captured.length += text.length;
    if (captured.length > captured.max) {
      throw new ImportTooLargeError(`<${captured.name}> is longer than ${captured.max} characters`, pos());
    }
    captured.parts.push(text);
  };
  parser.ontext = onText;
  parser.oncdata = onText;
  parser.onerror = (err) => {
    const text = describeSaxError(err.message);
    if (/^Max buffer length exceeded/.test(err.message)) {
      throw new ImportTooLargeError('One XML token is longer than the 64 KiB allowed outside text', pos());
    }
    const hint = text === 'This is not an XML file' && head ? formatHint(head) : '';
    throw new ImportFileError(hint ? `${text}: ${hint}` : text, pos());
  };
  parser.ondoctype = (doctype) => {
    if (/[[]|\bSYSTEM\b|\bPUBLIC\b/i.test(doctype)) {
      fail('The XML has a DOCTYPE with entity declarations or an external DTD; such files are refused');
    }
  };
  parser.onsgmldeclaration = () => fail('The XML has an SGML declaration (<!…>) outside a DOCTYPE; refused');
  parser.onopentagstart = () => {
    attributes = 0;
  };
  parser.onattribute = () => {
    if (++attributes > limits.maxAttributes) fail(`An element has more than ${limits.maxAttributes} attributes`);
  };
  parser.onopentag = (tag) => {
    depth++;
    sawRoot = true;
    if (depth > limits.maxDepth) fail(`The XML nests deeper than ${limits.maxDepth} elements`);
    captureRequest = null;
    visitor.open(tag.name, tag.attributes as Record<string, string>, cursor);
    if (captureRequest !== null && !captured) {
      captured = { depth, name: tag.name, parts: [], length: 0, max: captureRequest };
    }
  };
  parser.onclosetag = (name) => {
    let text: string | null = null;
    if (captured && captured.depth === depth) {
      text = captured.parts.join('');
      captured = null;
    }
    visitor.close(name, text, cursor);
    depth--;
  };

  let decoder: TextDecoder | null = null;
  for await (const chunk of readBytes(input, options)) {
    if (!decoder) {
      head = chunk.subarray(0, 512);
      decoder = decoderFor(head);
    }
    parser.write(decoder.decode(chunk, { stream: true }));
    yield* queue.splice(0);
  }
  if (decoder) parser.write(decoder.decode());
  if (!sawRoot) throw new ImportFileError('The file is empty or holds no XML element', { line: parser.line + 1 });
  parser.close();
  visitor.end(cursor);
  yield* queue.splice(0);
}

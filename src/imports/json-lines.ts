// JSON lines, one value a line, read as a stream with a cap on each line's length. Written by
// hand because readline and the JSON streaming packages buffer a line without limit: a 1 GB file
// with no newline must be refused after a few megabytes, not read whole.
import { type ImportInput, readBytes, type SourceOptions } from './byte-source.ts';
import { formatHint } from './detect-format.ts';
import { ImportFileError, ImportTooLargeError } from './import.errors.ts';

export interface JsonLinesOptions extends SourceOptions {
  /** Longest line accepted, in bytes (default 4 MiB). */
  maxLineBytes?: number;
  /** Longest first line (a header, which may list every user and post), default 64 MiB. */
  maxFirstLineBytes?: number;
}

export interface JsonLine {
  /** 1-based line number in the file. */
  line: number;
  value: unknown;
}

const NEWLINE = 0x0a;

/**
 * JSON.parse's message without the piece of the line it may quote ('Unexpected token 'x', "{"name":
 * "Ada…"... is not valid JSON'): the error is stored with the import job and shown to moderators,
 * and the line holds a commenter's name and address.
 */
function withoutQuote(message: string): string {
  return message.replace(/, ".*" is not valid JSON$|, ".*"\.\.\. is not valid JSON$/s, '');
}

function parseLine(bytes: Buffer, line: number, last: boolean, head: Uint8Array | null): JsonLine | null {
  let text = bytes.toString('utf8');
  if (line === 1) text = text.replace(/^\uFEFF/, '');
  if (text.trim() === '') return null;
  try {
    return { line, value: JSON.parse(text) };
  } catch (err) {
    if (last) throw new ImportFileError('The file ends in the middle of a line: is it truncated?', { line });
    const hint = line === 1 && head ? formatHint(head) : '';
    const why = withoutQuote((err as Error).message);
    throw new ImportFileError(`This line is not valid JSON (${why})${hint ? `: ${hint}` : ''}`, { line });
  }
}

/** Yields each non-blank line's JSON value with its line number. */
export async function* readJsonLines(input: ImportInput, options: JsonLinesOptions = {}): AsyncGenerator<JsonLine> {
  const maxLine = options.maxLineBytes ?? 4 * 1024 * 1024;
  const maxFirst = options.maxFirstLineBytes ?? 64 * 1024 * 1024;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let line = 1;
  let head: Uint8Array | null = null;
  for await (const chunk of readBytes(input, options)) {
    head ??= chunk.subarray(0, 512);
    const buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let start = 0;
    for (let nl = buf.indexOf(NEWLINE, start); nl !== -1; nl = buf.indexOf(NEWLINE, start)) {
      pending.push(buf.subarray(start, nl));
      const parsed = parseLine(Buffer.concat(pending), line, false, head);
      if (parsed) yield parsed;
      pending = [];
      pendingBytes = 0;
      line++;
      start = nl + 1;
    }
    if (start < buf.byteLength) {
      // Copied: the source may reuse its buffer for the next chunk.
      pending.push(Buffer.from(buf.subarray(start)));
      pendingBytes += buf.byteLength - start;
      const limit = line === 1 ? maxFirst : maxLine;
      if (pendingBytes > limit) throw new ImportTooLargeError(`A line is longer than ${limit} bytes`, { line });
    }
  }
  if (pendingBytes > 0) {
    const parsed = parseLine(Buffer.concat(pending), line, true, head);
    if (parsed) yield parsed;
  }
}

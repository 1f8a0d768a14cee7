// Where an import's bytes come from: a file path, a Node stream (an upload) or bytes in memory.
// Gzip is recognised by its magic bytes and inflated on the fly (Remark42 backups are .gz; people
// compress big WXR files), so nothing is ever read whole into memory.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { ImportFileError, ImportTooLargeError } from './import.errors.ts';

export type ImportInput = string | Readable | Uint8Array;

export interface SourceOptions {
  /** Progress: bytes read from the input so far (compressed bytes for gzip) and its size when known. */
  onBytes?: (bytesRead: number, totalBytes: number | null) => void;
  /** Refuse inputs that inflate to more than this many bytes (uploads); unlimited when unset. */
  maxBytes?: number;
}

const SLICE = 64 * 1024;

/** The input's size in bytes when it can be known up front (a file or a buffer). */
export async function inputSize(input: ImportInput): Promise<number | null> {
  if (typeof input === 'string') return (await stat(input)).size;
  if (input instanceof Uint8Array) return input.byteLength;
  return null;
}

async function* rawChunks(input: ImportInput): AsyncGenerator<Uint8Array> {
  if (input instanceof Uint8Array) {
    for (let at = 0; at < input.byteLength; at += SLICE) yield input.subarray(at, at + SLICE);
    return;
  }
  const stream = typeof input === 'string' ? createReadStream(input, { highWaterMark: SLICE }) : input;
  try {
    for await (const chunk of stream) yield typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Uint8Array);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') {
      throw new ImportFileError(
        `Cannot read the file: ${(err as Error).message}`,
        { line: null },
        'import_file_unreadable',
      );
    }
    throw err;
  } finally {
    stream.destroy();
  }
}

async function* inflate(first: Uint8Array, rest: AsyncIterator<Uint8Array>): AsyncGenerator<Uint8Array> {
  const source = Readable.from(
    (async function* () {
      yield first;
      for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value;
    })(),
  );
  const gunzip = createGunzip();
  source.on('error', (err) => gunzip.destroy(err));
  source.pipe(gunzip);
  try {
    for await (const chunk of gunzip) yield chunk as Uint8Array;
  } catch (err) {
    if (err instanceof ImportFileError || !(err as NodeJS.ErrnoException).code?.startsWith('Z_')) throw err;
    throw new ImportFileError(`The gzip data is truncated or corrupt: ${(err as Error).message}`);
  } finally {
    source.destroy();
    gunzip.destroy();
  }
}

/** The input's bytes, inflated if gzipped, in chunks of bounded size. */
export async function* readBytes(input: ImportInput, options: SourceOptions = {}): AsyncGenerator<Uint8Array> {
  const total = options.onBytes ? await inputSize(input).catch(() => null) : null;
  let read = 0;
  const counted = (async function* () {
    for await (const chunk of rawChunks(input)) {
      read += chunk.byteLength;
      options.onBytes?.(read, total);
      yield chunk;
    }
  })();
  const it = counted[Symbol.asyncIterator]();
  try {
    // Two bytes tell gzip apart; a stream may hand them over one at a time.
    let head: Uint8Array = new Uint8Array(0);
    while (head.byteLength < 2) {
      const next = await it.next();
      if (next.done) break;
      head = head.byteLength ? Buffer.concat([head, next.value]) : next.value;
    }
    if (head.byteLength === 0) return;
    const first = head;
    const gzipped = first[0] === 0x1f && first[1] === 0x8b;
    let inflated = 0;
    const chunks = gzipped
      ? inflate(first, it)
      : (async function* () {
          yield first;
          for (let next = await it.next(); !next.done; next = await it.next()) yield next.value;
        })();
    for await (const chunk of chunks) {
      inflated += chunk.byteLength;
      if (options.maxBytes !== undefined && inflated > options.maxBytes) {
        throw new ImportTooLargeError(`The file is larger than the ${options.maxBytes} bytes allowed`);
      }
      for (let at = 0; at < chunk.byteLength; at += SLICE) yield chunk.subarray(at, at + SLICE);
    }
  } finally {
    await it.return?.();
  }
}

/** The whole input in memory, for formats that cannot be streamed (SQLite), refusing more than `max` bytes. */
export async function readAll(input: ImportInput, max: number, options: SourceOptions = {}): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of readBytes(input, { ...options, maxBytes: Math.min(max, options.maxBytes ?? max) })) {
    parts.push(chunk);
    size += chunk.byteLength;
  }
  return Buffer.concat(parts, size);
}

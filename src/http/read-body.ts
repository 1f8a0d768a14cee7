// Reads a JSON or HTML-form body into a plain object, refusing anything else with a clear 4xx.
// On the Node server the bytes come straight from the socket (the IncomingMessage): building the
// WHATWG Request and its stream only to read a small JSON body cost more than parsing it. The body is
// counted as it arrives, under the same bound and with the same 413 as the app's body limit, which
// leaves these routes to this function (app.ts, READS_OWN_BODY).
import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import { parseBody } from 'hono/utils/body';
import { PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError } from '../shared/errors.ts';

export type BodyFormat = 'json' | 'form';

/** The bound of app.ts's body limit (MAX_BODY_BYTES), which these routes get here instead. */
const MAX_BODY_BYTES = 64 * 1024;
/**
 * A form post percent-encodes every byte outside ASCII: a 10,000-character comment in Chinese is 90 KB of
 * form (9 bytes a character), one of emoji 120 KB, so the no-JavaScript form of a valid comment would be
 * refused at 64 KiB. Its bound leaves room for that and the other fields at their longest.
 */
const MAX_FORM_BODY_BYTES = 160 * 1024;

/** The public routes that read their body with readBody (POST only): the app's body limit skips them. */
export const READS_OWN_BODY = /^\/api\/v1\/sites\/[^/]+\/comments(?:\/[^/]+\/reports)?$/;

const tooLarge = (max: number) => new PayloadTooLargeError(`The body must be at most ${max / 1024} KiB.`);

function bodyFormat(contentType: string | undefined): BodyFormat | null {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(type)) return 'json';
  if (type === 'application/x-www-form-urlencoded' || type === 'multipart/form-data') return 'form';
  return null;
}

/** The Node request behind the context, while nothing has read its body. */
function nodeRequest(c: Context): IncomingMessage | null {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  return incoming && typeof incoming.on === 'function' && !incoming.readableDidRead ? incoming : null;
}

/** The body's bytes from the socket, refused (413) as soon as they pass the bound. */
function readIncoming(incoming: IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (err: Error | null) => {
      incoming.off('data', onData);
      incoming.off('end', onEnd);
      incoming.off('error', onError);
      incoming.off('close', onClose);
      if (err) {
        // Stop reading; Node discards the rest once the answer is sent, as it does for any unread body.
        incoming.pause();
        reject(err);
      } else resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) return done(tooLarge(max));
      chunks.push(chunk);
    };
    const onEnd = () => done(null);
    const onError = (err: Error) => done(err);
    const onClose = () => {
      if (!incoming.complete) done(new Error('the client closed the connection before the body was complete'));
    };
    incoming.on('data', onData);
    incoming.on('end', onEnd);
    incoming.on('error', onError);
    incoming.on('close', onClose);
  });
}

/** The same count over the WHATWG body (app.request() in tests, other adapters). */
async function readStream(c: Context, max: number): Promise<Uint8Array> {
  const body = c.req.raw.body;
  if (!body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > max) {
      void reader.cancel().catch(() => {});
      throw tooLarge(max);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size);
}

/** A declared length over the bound is refused before a byte is read, as by the app's body limit. */
function declaredTooLarge(c: Context, max: number): boolean {
  const length = c.req.header('content-length');
  return length !== undefined && c.req.header('transfer-encoding') === undefined && Number.parseInt(length, 10) > max;
}

// JSON is UTF-8 (RFC 8259 §8.1): bytes that are not are refused, never stored as U+FFFD. A leading BOM is dropped.
const utf8 = new TextDecoder('utf-8', { fatal: true });

export async function readBody(
  c: Context,
  accepted: BodyFormat[] = ['json', 'form'],
): Promise<{ format: BodyFormat; data: Record<string, unknown> }> {
  const contentType = c.req.header('content-type');
  const format = bodyFormat(contentType);
  const max = format === 'form' ? MAX_FORM_BODY_BYTES : MAX_BODY_BYTES;
  if (declaredTooLarge(c, max)) throw tooLarge(max);
  const incoming = nodeRequest(c);
  // A body without a declared length is counted in full before anything else is said about it.
  const streamed = c.req.header('content-length') === undefined || c.req.header('transfer-encoding') !== undefined;
  const early = streamed ? await (incoming ? readIncoming(incoming, max) : readStream(c, max)) : null;
  if (!format || !accepted.includes(format)) {
    const names = accepted
      .map((f) => (f === 'json' ? 'application/json' : 'application/x-www-form-urlencoded'))
      .join(' or ');
    throw new UnsupportedMediaTypeError(`Send the body as ${names}.`);
  }
  const bytes = early ?? (await (incoming ? readIncoming(incoming, max) : readStream(c, max)));
  if (format === 'json') {
    let text: string;
    try {
      text = utf8.decode(bytes);
    } catch {
      throw new ValidationError([{ path: '(body)', message: 'is not valid UTF-8' }], 'The body is not valid UTF-8.');
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      throw new ValidationError([{ path: '(body)', message: 'is not valid JSON' }], 'The body is not valid JSON.');
    }
    if (typeof data !== 'object' || data === null || Array.isArray(data)) {
      throw new ValidationError(
        [{ path: '(body)', message: 'must be a JSON object' }],
        'The body must be a JSON object.',
      );
    }
    return { format, data: data as Record<string, unknown> };
  }
  let form: Record<string, unknown>;
  try {
    // Forms are rare on this path: parsed by Hono from a Request over the bytes already read.
    const request = new Request('http://body.invalid/', {
      method: 'POST',
      headers: { 'content-type': contentType ?? '' },
      body: bytes,
    });
    form = await parseBody(request, { all: false });
  } catch {
    throw new ValidationError(
      [{ path: '(body)', message: 'is not a valid form body' }],
      'The form body could not be read.',
    );
  }
  for (const [key, value] of Object.entries(form)) {
    if (typeof value !== 'string') throw new ValidationError([{ path: key, message: 'must be text, not a file' }]);
  }
  return { format, data: form };
}

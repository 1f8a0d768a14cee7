// One webhook HTTP attempt: POST, bounded time, redirects never followed, private targets refused.
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { ForbiddenAddressError, guardedLookup, isPublicAddress } from './safe-address.ts';

export interface PostResult {
  status: number | null;
  headers: http.IncomingHttpHeaders;
  excerpt: string | null;
  error: string | null;
  errorCode: string | null;
  durationMs: number;
}

const EXCERPT_BYTES = 1024;
/** Read this much of an answer at most, then hang up: the status is all that counts. */
const READ_BYTES = 64 * 1024;

/**
 * Text any database column takes: NUL and other control characters (PostgreSQL refuses NUL in text)
 * become U+FFFD, and a surrogate half left by a cut becomes one too.
 */
function storable(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '\ufffd')
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

/** The start of an answer as text to show a person; an encoded (gzip, …) or binary body is named, not shown. */
function excerptOf(bytes: Buffer, headers: http.IncomingHttpHeaders): string {
  const encoding = headers['content-encoding']?.trim().toLowerCase();
  if (encoding && encoding !== 'identity') return `(${encoding}-encoded body, not shown)`;
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) return '(gzip body, not shown)';
  return storable(bytes.subarray(0, EXCERPT_BYTES).toString('utf8'));
}

// Keep-alive agents: receivers get many deliveries, and a reused connection was checked when it was
// opened (the guarded lookup runs on every new connection).
const agents = {
  guarded: {
    http: new http.Agent({ keepAlive: true, maxSockets: 50, lookup: guardedLookup }),
    https: new https.Agent({ keepAlive: true, maxSockets: 50, lookup: guardedLookup }),
  },
  open: {
    http: new http.Agent({ keepAlive: true, maxSockets: 50 }),
    https: new https.Agent({ keepAlive: true, maxSockets: 50 }),
  },
};

export function postJson(
  url: string,
  body: string,
  headers: Record<string, string>,
  opts: { timeoutMs: number; allowPrivate: boolean },
): Promise<PostResult> {
  const started = performance.now();
  const done = (r: Omit<PostResult, 'durationMs'>): PostResult => ({
    ...r,
    durationMs: Math.round(performance.now() - started),
  });
  return new Promise((resolve) => {
    // The first outcome wins: a response can end, break off and time out in any order.
    let settled = false;
    const settle = (r: Omit<PostResult, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(done({ ...r, error: r.error === null ? null : storable(r.error) }));
    };
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return resolve(
        done({ status: null, headers: {}, excerpt: null, error: 'invalid URL', errorCode: 'EINVALIDURL' }),
      );
    }
    const host = target.hostname.replace(/^\[|\]$/g, '');
    // Literal IPs skip DNS, so check them here; names are checked on the resolved address.
    if (!opts.allowPrivate && net.isIP(host) && !isPublicAddress(host)) {
      return resolve(
        done({
          status: null,
          headers: {},
          excerpt: null,
          error: `${host} is a private or reserved address`,
          errorCode: 'EFORBIDDENADDRESS',
        }),
      );
    }
    const secure = target.protocol === 'https:';
    const client = secure ? https : http;
    const pool = opts.allowPrivate ? agents.open : agents.guarded;
    const req = client.request(
      target,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'user-agent': 'comments-webhooks/1',
          ...headers,
        },
        agent: secure ? pool.https : pool.http,
      },
      (res) => {
        // Only the start of the answer is kept; a receiver streaming more than READ_BYTES is cut off.
        const chunks: Buffer[] = [];
        let size = 0;
        const answered = (error: string | null, errorCode: string | null) =>
          settle({
            status: res.statusCode ?? null,
            headers: res.headers,
            excerpt: excerptOf(Buffer.concat(chunks), res.headers),
            error,
            errorCode,
          });
        res.on('data', (chunk: Buffer) => {
          if (size < EXCERPT_BYTES) chunks.push(chunk);
          size += chunk.length;
          if (size > READ_BYTES) {
            answered(null, null);
            res.destroy();
          }
        });
        res.on('end', () => answered(null, null));
        res.on('error', (err) => answered(`the answer broke off: ${err.message}`, 'ERESPONSE'));
        res.on('close', () => {
          if (!res.complete) answered('the answer broke off before its end', 'ERESPONSE');
        });
      },
    );
    const timer = setTimeout(
      () => req.destroy(Object.assign(new Error(`no answer within ${opts.timeoutMs} ms`), { code: 'ETIMEDOUT' })),
      opts.timeoutMs,
    );
    req.on('error', (err: NodeJS.ErrnoException) => {
      const code = err instanceof ForbiddenAddressError ? err.code : (err.code ?? 'ENETWORK');
      settle({ status: null, headers: {}, excerpt: null, error: err.message, errorCode: code });
    });
    req.end(body);
  });
}

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
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          if (size < EXCERPT_BYTES) chunks.push(chunk);
          size += chunk.length;
        });
        res.on('end', () => {
          clearTimeout(timer);
          resolve(
            done({
              status: res.statusCode ?? null,
              headers: res.headers,
              excerpt: Buffer.concat(chunks).subarray(0, EXCERPT_BYTES).toString('utf8'),
              error: null,
              errorCode: null,
            }),
          );
        });
        res.on('error', (err) => {
          clearTimeout(timer);
          resolve(
            done({
              status: res.statusCode ?? null,
              headers: res.headers,
              excerpt: null,
              error: err.message,
              errorCode: 'ERESPONSE',
            }),
          );
        });
      },
    );
    const timer = setTimeout(
      () => req.destroy(Object.assign(new Error(`no answer within ${opts.timeoutMs} ms`), { code: 'ETIMEDOUT' })),
      opts.timeoutMs,
    );
    req.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const code = err instanceof ForbiddenAddressError ? err.code : (err.code ?? 'ENETWORK');
      resolve(done({ status: null, headers: {}, excerpt: null, error: err.message, errorCode: code }));
    });
    req.end(body);
  });
}

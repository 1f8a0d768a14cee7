// npm run bench:embedded: POST comment on the embedded default (PGlite in a data directory, the in-process
// queue and workers in the same process), every 201 durable (the WAL flushed before it is sent).
// Prints req/s and p50/p99 per round; BENCH_SECONDS and BENCH_CONNECTIONS as in bench:http.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { startServer } from '../tests/support/server-process.ts';

const DURATION = Number(process.env.BENCH_SECONDS ?? 8);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);

const dataDir = mkdtempSync(path.join(tmpdir(), 'bench-embedded-'));
const server = await startServer('src/bin/server.ts', {
  DATA_DIR: dataDir,
  DATABASE_URL: '',
  REDIS_URL: '',
  TRUST_PROXY: 'true',
});
let n = 0;
try {
  for (let round = 1; round <= ROUNDS; round++) {
    const r = await autocannon({
      url: `${server.url}/api/v1/sites/demo/comments`,
      connections: CONNECTIONS,
      duration: DURATION,
      requests: [
        {
          method: 'POST',
          setupRequest(req) {
            n++;
            return {
              ...req,
              headers: {
                'content-type': 'application/json',
                'x-forwarded-for': `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`,
              },
              body: JSON.stringify({
                articleId: 'pk-kz-action-plan',
                name: `Reader ${n}`,
                email: `reader${n}@example.com`,
                body: `A thoughtful remark about the article, number ${n}. Nothing to see here.`,
              }),
            };
          },
        },
      ],
    });
    console.log(
      `round ${round}: embedded POST ${r.requests.average.toFixed(0)} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, non-2xx ${r.non2xx + r.errors}`,
    );
  }
} finally {
  await server.stop('SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
}

// Load of the HTTP benchmark: autocannon runs and the POST bodies (every request a different reader,
// address and text, so no filter or flood control sees a repeat).
import autocannon from 'autocannon';

export interface Load {
  rps: number;
  p50: number;
  p99: number;
  /** Responses received. */
  requests: number;
  /** Non-2xx responses, errors and timeouts. */
  bad: number;
}

export async function run(opts: autocannon.Options): Promise<Load> {
  const r = await autocannon(opts);
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    requests: r.requests.total,
    bad: r.non2xx + r.errors + r.timeouts,
  };
}

let n = 0;

/** POST comment requests on `articleOf(n)` of site `bench`. */
export function commentRequests(base: string, articleOf: (n: number) => string, path = '/api/v1/sites/bench/comments') {
  return {
    url: `${base}${path}`,
    requests: [
      {
        method: 'POST' as const,
        setupRequest(req: autocannon.Request) {
          n++;
          return {
            ...req,
            headers: {
              'content-type': 'application/json',
              'x-forwarded-for': `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`,
            },
            body: JSON.stringify({
              articleId: articleOf(n),
              name: `Reader ${n}`,
              email: `reader${n}@example.com`,
              body: `A thoughtful remark about the article, number ${n}. Nothing to see here.`,
            }),
          };
        },
      },
    ],
  };
}

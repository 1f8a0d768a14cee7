// What a client writes itself cannot steer the real server process: proxy headers while TRUST_PROXY is
// off are ignored but warned about (once), a forged Host header sends no reader to another host after a
// form post, and the embedded CLI forward answers only this machine, unrelayed, with the lock's token.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { networkInterfaces } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  freshEnvironment,
  projectRoot,
  type ServerProcess,
  startProcess,
  startServer,
} from '../support/server-process.ts';
import { testDb } from '../support/stores.ts';
import { waitUntil } from '../support/webhook-receiver.ts';

const EMAIL = 'host-admin@example.com';
const PASSWORD = 'a long enough host password';
const WARNING = /^requests arrive through a proxy, but TRUST_PROXY is off/;

let server: ServerProcess;
const cleanups: (() => Promise<void>)[] = [];
beforeAll(async () => {
  const fresh = await freshEnvironment(); // the demo site on both databases
  cleanups.push(fresh.cleanup);
  // Dual-stack: IPv4 clients arrive as "::ffff:127.0.0.1", which must count and be stored as "127.0.0.1".
  const env = { ...fresh.env, HOST: '::', ADMIN_EMAIL: EMAIL, ADMIN_PASSWORD: PASSWORD };
  server = await startServer('src/bin/server.ts', env);
}, 120_000);
afterAll(async () => {
  await server?.stop('SIGKILL');
  for (const cleanup of cleanups) await cleanup();
});

type LogLine = { level: number; msg: string; header?: string; untrustedProxy?: boolean };
const logLines = (s: ServerProcess): LogLine[] =>
  s
    .output()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as LogLine);
const warnings = (s: ServerProcess) => logLines(s).filter((l) => WARNING.test(l.msg));
const banner = (s: ServerProcess) =>
  waitUntil(async () => logLines(s).find((l) => l.msg.startsWith('comment service ready')), 20_000, 'banner');

interface Answer {
  status: number;
  location: string | undefined;
  body: string;
}

/** A raw request: node:http lets a test write the Host header and choose the address it connects from. */
function send(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string; localAddress?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method: opts.method ?? 'GET',
      headers: opts.headers ?? {},
      ...(opts.localAddress ? { localAddress: opts.localAddress } : {}),
    });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, location: res.headers.location, body }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const FORM = 'application/x-www-form-urlencoded';

describe('proxy headers while TRUST_PROXY is off', () => {
  it('are warned about once, naming TRUST_PROXY, and requests without them are not', async () => {
    expect((await banner(server)).untrustedProxy).toBe(false);
    expect((await send(`${server.url}/healthz`)).status).toBe(200);
    expect((await send(`${server.url}/healthz`, { headers: { 'x-forwarded-for': '203.0.113.5' } })).status).toBe(200);
    const [warning] = await waitUntil(async () => warnings(server).length > 0 && warnings(server), 10_000, 'warning');
    expect(warning!.level).toBe(40);
    expect(warning!.header).toBe('x-forwarded-for');
    expect(warning!.msg).toContain('set TRUST_PROXY=true');
    // More of them, in every spelling: still the one warning (checked once the process has stopped).
    const more: Record<string, string>[] = [
      { forwarded: 'for=203.0.113.6' },
      { 'x-real-ip': '203.0.113.7' },
      { 'x-forwarded-for': 'x' },
    ];
    for (const headers of more) expect((await send(`${server.url}/healthz`, { headers })).status).toBe(200);
  });

  it("are never taken for the client's address: that is the connection's, in one spelling", async () => {
    const json = { 'content-type': 'application/json' };
    const posted = await send(`${server.url}/api/v1/sites/demo/comments`, {
      method: 'POST',
      headers: { ...json, 'x-forwarded-for': '203.0.113.50', 'x-real-ip': '203.0.113.51', forwarded: 'for=x' },
      body: JSON.stringify({ articleId: 'ip', name: 'Reader', email: 'ip@example.com', body: 'Where am I from?' }),
    });
    expect(posted.status).toBe(201);
    const login = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ email: EMAIL, password: PASSWORD }),
    });
    const cookie = login.headers.getSetCookie()[0]!.split(';')[0]!;
    const shown = await fetch(`${server.url}/api/v1/moderation/comments/${JSON.parse(posted.body).id}`, {
      headers: { cookie },
    });
    expect(((await shown.json()) as { comment: { ip: string } }).comment.ip).toBe('127.0.0.1');
  });
});

describe('form-post redirects under a forged Host header (no PUBLIC_URL)', () => {
  const forgedHost = { host: 'evil.example', origin: 'http://evil.example' };

  it('send the reader of a page on this service back by path alone, never to the forged host', async () => {
    const body = form({
      articleId: 'host',
      name: 'Reader',
      email: 'r@example.com',
      body: 'Hello',
      articleUrl: 'http://evil.example/phish',
    });
    const res = await send(`${server.url}/api/v1/sites/demo/comments`, {
      method: 'POST',
      headers: { 'content-type': FORM, ...forgedHost },
      body,
    });
    expect(res.status).toBe(303);
    expect(res.location).toMatch(/^\/phish\?comment=[0-9a-f-]+&status=pending#respond$/);
  });

  it('still send readers of an allowed origin back to it in full', async () => {
    const article = `http://127.0.0.1:${server.port}/`;
    const body = form({
      articleId: 'host',
      name: 'Other',
      email: 'o@example.com',
      body: 'Hi there',
      articleUrl: article,
    });
    const res = await send(`${server.url}/api/v1/sites/demo/comments`, {
      method: 'POST',
      headers: { 'content-type': FORM, ...forgedHost },
      body,
    });
    expect(res.status).toBe(303);
    expect(res.location?.startsWith(`${article}?comment=`)).toBe(true);
  });

  it('keep the dashboard on its own paths: sign-in, the way to it, and after it', async () => {
    const toLogin = await send(`${server.url}/dashboard/queue`, { headers: forgedHost });
    expect(toLogin.status).toBe(303);
    expect(toLogin.location).toBe('/dashboard/login?next=%2Fdashboard%2Fqueue');
    const signedIn = await send(`${server.url}/dashboard/login`, {
      method: 'POST',
      headers: { 'content-type': FORM, ...forgedHost },
      body: form({ email: EMAIL, password: PASSWORD, next: '/dashboard/sites' }),
    });
    expect(signedIn.status).toBe(303);
    expect(signedIn.location).toBe('/dashboard/sites');
  });
});

describe('the embedded CLI forward (/internal/cli)', () => {
  const forward = (opts: { token?: string; localAddress?: string; host?: string; headers?: Record<string, string> }) =>
    send(`http://${opts.host ?? '127.0.0.1'}:${server.port}/internal/cli`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
        ...opts.headers,
      },
      body: JSON.stringify({ argv: ['sites:list'] }),
      ...(opts.localAddress ? { localAddress: opts.localAddress } : {}),
    });

  it.runIf(testDb() === 'pglite')(
    'runs a command for this machine with the lock file token, and refuses everyone else',
    async () => {
      const { token } = JSON.parse(readFileSync(path.join(server.env.DATA_DIR!, 'server.lock'), 'utf8')) as {
        token: string;
      };
      const ok = await forward({ token });
      expect(ok.status).toBe(200);
      expect(JSON.parse(ok.body)).toMatchObject({ code: 0 });
      expect(JSON.parse(ok.body).stdout).toContain('demo');

      // Another interface of this machine is another host to the server: its socket address is not loopback.
      const external = Object.values(networkInterfaces())
        .flat()
        .find((a) => a && !a.internal && a.family === 'IPv4')?.address;
      if (!external) throw new Error('this test needs a non-loopback IPv4 interface');
      expect((await forward({ token, host: external, localAddress: external })).status).toBe(404);
      // Relayed by a proxy on this machine (the connection is loopback, the reader is not).
      const relayed: Record<string, string>[] = [
        { 'x-forwarded-for': '127.0.0.1' },
        { forwarded: 'for=127.0.0.1' },
        { 'x-real-ip': '::1' },
      ];
      for (const headers of relayed) expect((await forward({ token, headers })).status).toBe(404);
      // Without the token, or with another.
      expect((await forward({})).status).toBe(404);
      expect((await forward({ token: token.replace(/.$/, (c) => (c === '0' ? '1' : '0')) })).status).toBe(404);
    },
  );

  it.runIf(testDb() === 'postgres')('is not served at all outside the embedded mode', async () => {
    expect((await forward({ token: 'anything' })).status).toBe(404);
  });
});

describe('after all of the above', () => {
  it('warned about the untrusted proxy exactly once', async () => {
    expect(await server.stop('SIGTERM')).toBe(0);
    expect(warnings(server)).toHaveLength(1);
  });
});

describe('the start banner', { timeout: 120_000 }, () => {
  /** PUBLIC_URL on https: the `listening on` line names it, so the port is read from the JSON log. */
  async function startBehindTls(trustProxy: boolean): Promise<ServerProcess> {
    const fresh = await freshEnvironment({ demo: false });
    cleanups.push(fresh.cleanup);
    const env = { ...fresh.env, PUBLIC_URL: 'https://comments.example.test', TRUST_PROXY: String(trustProxy) };
    return startProcess([process.execPath, '--import', 'tsx', 'src/bin/server.ts'], env, {
      cwd: projectRoot,
      ready: /"port":(\d+),"roles"/,
    });
  }

  it('says when PUBLIC_URL is https (a proxy in front) but TRUST_PROXY is off', async () => {
    const s = await startBehindTls(false);
    try {
      const line = await banner(s);
      expect(line.untrustedProxy).toBe(true);
      expect(line.msg).toContain('TRUST_PROXY is off');
      expect(line.msg).toContain('Set TRUST_PROXY=true');
    } finally {
      await s.stop('SIGKILL');
    }
  });

  it('says nothing of the kind, then or later, when TRUST_PROXY is on', async () => {
    const s = await startBehindTls(true);
    try {
      const line = await banner(s);
      expect(line.untrustedProxy).toBe(false);
      expect(line.msg).not.toContain('TRUST_PROXY');
      const headers = { 'x-forwarded-for': '203.0.113.9' };
      expect((await send(`${s.url}/healthz`, { headers })).status).toBe(200);
    } finally {
      expect(await s.stop('SIGTERM')).toBe(0);
    }
    expect(warnings(s)).toHaveLength(0);
  });
});

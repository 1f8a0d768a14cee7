// The real process, started with SMTP_URL and no PUBLIC_URL, warns (level warn) that mail links would
// point to localhost, and says it again in the start banner; with PUBLIC_URL it does not.
import { afterEach, describe, expect, it } from 'vitest';
import { freshEnvironment, type ServerProcess, startServer } from '../support/server-process.ts';
import { testDb } from '../support/stores.ts';
import { waitUntil } from '../support/webhook-receiver.ts';

let server: ServerProcess | undefined;
let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await server?.stop('SIGKILL');
  await cleanup?.();
  server = cleanup = undefined;
});

type LogLine = { level: number; msg: string };
const lines = (s: ServerProcess): LogLine[] =>
  s
    .output()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as LogLine);

async function start(extra: Record<string, string>) {
  const fresh = await freshEnvironment({ demo: false });
  cleanup = fresh.cleanup;
  // Nothing is sent at start; the SMTP server need not exist.
  server = await startServer('src/bin/server.ts', {
    ...fresh.env,
    SMTP_URL: 'smtp://127.0.0.1:1',
    MAIL_FROM: 'News <noreply@example.com>',
    LOG_FORMAT: 'json',
    ...extra,
  });
  return waitUntil(async () => lines(server!).find((l) => l.msg.startsWith('comment service ready')), 20_000, 'banner');
}

describe.skipIf(testDb() !== 'pglite')('SMTP without PUBLIC_URL', () => {
  it('warns at start that mail links would point to localhost', { timeout: 180_000 }, async () => {
    const banner = await start({});
    const warn = lines(server!).find((l) => l.level === 40 && l.msg.includes('PUBLIC_URL'));
    expect(warn?.msg).toContain('http://localhost:');
    expect(banner.msg).toContain('WARNING: PUBLIC_URL is not set');
  });

  // An http PUBLIC_URL with a port: the start is recognised by its `listening on http://host:port` line.
  it('says nothing with PUBLIC_URL set', { timeout: 180_000 }, async () => {
    const banner = await start({ PUBLIC_URL: 'http://comments.example:8080' });
    expect(lines(server!).some((l) => l.level === 40 && l.msg.includes('PUBLIC_URL is not set'))).toBe(false);
    expect(banner.msg).not.toContain('PUBLIC_URL is not set');
  });
});

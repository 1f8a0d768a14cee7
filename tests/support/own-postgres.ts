// A PostgreSQL server of the test's own (initdb in a temp dir, a free port), so fault tests can stop
// it and start it again. Never the shared server.
import { execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './own-redis.ts';

const version = readdirSync('/usr/lib/postgresql').sort().at(-1)!;
const bin = (name: string) => `/usr/lib/postgresql/${version}/bin/${name}`;
// PostgreSQL refuses to run as root; run its tools as the postgres user when we are root.
const asPostgres = (cmd: string, args: string[]) =>
  process.getuid?.() === 0
    ? execFileSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { stdio: 'pipe' })
    : execFileSync(cmd, args, { stdio: 'pipe' });

export interface OwnPostgres {
  url: string;
  port: number;
  start(): Promise<void>;
  stop(): Promise<void>;
  destroy(): Promise<void>;
}

export async function ownPostgres(): Promise<OwnPostgres> {
  const dir = mkdtempSync(path.join(tmpdir(), 'own-pg-'));
  if (process.getuid?.() === 0)
    chownSync(
      dir,
      Number(execFileSync('id', ['-u', 'postgres']).toString().trim()),
      Number(execFileSync('id', ['-g', 'postgres']).toString().trim()),
    );
  const data = path.join(dir, 'data');
  const port = await freePort();
  asPostgres(bin('initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres']);
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    async start() {
      asPostgres(bin('pg_ctl'), ['-D', data, '-o', opts, '-l', path.join(dir, 'log'), '-w', 'start']);
    },
    async stop() {
      asPostgres(bin('pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
    },
    async destroy() {
      try {
        asPostgres(bin('pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

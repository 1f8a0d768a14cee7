// In embedded mode only one process may open the PGlite data directory. The server holds this lock and
// records where it listens, so the CLI can hand its command to the running server instead.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { secureDataDir } from './data-dir.ts';

export interface LockInfo {
  pid: number;
  port: number | null;
  token: string;
}

const lockFile = (dataDir: string) => path.join(dataDir, 'server.lock');

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The live holder of the data directory, if any (a stale lock from a crashed process is ignored). */
export function readLock(dataDir: string): LockInfo | null {
  try {
    const info = JSON.parse(fs.readFileSync(lockFile(dataDir), 'utf8')) as LockInfo;
    return info.pid !== process.pid && isAlive(info.pid) ? info : null;
  } catch {
    return null;
  }
}

export class DataDirBusyError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: LockInfo,
  ) {
    super(
      `The data directory ${dataDir} is in use by another process (pid ${holder.pid}). ` +
        'In embedded mode only one process can open it: stop that process, or use DATA_DIR to point at another directory.',
    );
  }
}

export function acquireLock(dataDir: string): { info: LockInfo; setPort(port: number): void; release(): void } {
  secureDataDir(dataDir);
  const info: LockInfo = { pid: process.pid, port: null, token: randomBytes(24).toString('hex') };
  const write = (flag = 'w') => fs.writeFileSync(lockFile(dataDir), JSON.stringify(info), { mode: 0o600, flag });
  for (let attempt = 0; ; attempt++) {
    try {
      write('wx'); // atomic: two starting processes cannot both create it
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw err;
      const holder = readLock(dataDir);
      if (holder) throw new DataDirBusyError(dataDir, holder);
      fs.rmSync(lockFile(dataDir), { force: true }); // stale: its process is gone
    }
  }
  return {
    info,
    setPort(port) {
      info.port = port;
      write();
    },
    release() {
      try {
        const current = JSON.parse(fs.readFileSync(lockFile(dataDir), 'utf8')) as LockInfo;
        if (current.pid === process.pid) fs.unlinkSync(lockFile(dataDir));
      } catch {
        // already gone
      }
    },
  };
}

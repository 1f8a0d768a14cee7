// `npm run cli -- <command>`: operate sites, comments, users, tokens and webhooks.
import { forwardToServer } from '../cli/forward.ts';
import { runCli } from '../cli/program.ts';
import { ConfigError, loadConfig } from '../config/env.ts';
import { createContainer } from '../container.ts';
import { acquireLock, DataDirBusyError, readLock } from '../db/data-dir-lock.ts';
import { createLogger } from '../shared/logger.ts';

const argv = process.argv.slice(2);
const PASSWORD_COMMANDS = ['users:create', 'users:reset-password'];
const io = {
  out: (s: string) => void process.stdout.write(s),
  err: (s: string) => void process.stderr.write(s),
  readStdin: async () => {
    if (process.stdin.isTTY) return '';
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
};

async function main(): Promise<number> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      io.err(`${err.message}\n`);
      return 1;
    }
    throw err;
  }
  const wantsHelp = argv.length === 0 || argv.includes('--help') || argv.includes('-h');
  if (config.database.kind === 'pglite' && !wantsHelp) {
    const holder = readLock(config.dataDir);
    if (holder) {
      if (!holder.port) {
        io.err(
          `error: the server (pid ${holder.pid}) is starting and holds ${config.dataDir}; try again in a moment.\n`,
        );
        return 1;
      }
      // The server owns the embedded database: run the command inside it.
      // Only the commands that take a password read standard input (others must not wait for it).
      const stdin = argv.some((a) => PASSWORD_COMMANDS.includes(a)) ? await io.readStdin() : undefined;
      const result = await forwardToServer(holder, { argv, ...(stdin !== undefined ? { stdin } : {}) });
      io.out(result.stdout);
      io.err(result.stderr);
      return result.code;
    }
  }
  let lock: ReturnType<typeof acquireLock> | null = null;
  try {
    if (config.database.kind === 'pglite' && !wantsHelp) lock = acquireLock(config.dataDir);
  } catch (err) {
    if (err instanceof DataDirBusyError) {
      io.err(`error: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
  let container: Awaited<ReturnType<typeof createContainer>>;
  try {
    container = await createContainer(config, {
      log: createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, 2),
    });
  } catch (err) {
    // Refused (e.g. a queue backend other than the deployment's: jobs/queue-agreement.ts) or unreachable.
    lock?.release();
    throw err;
  }
  try {
    return await runCli(argv, container, io);
  } finally {
    await container.close();
    lock?.release();
  }
}

process.exitCode = await main().catch((err) => {
  io.err(`error: ${err instanceof Error ? err.message : String(err)}\n`);
  return 1;
});

// `npm run migrate`: apply pending migrations and exit (the server also migrates at start).
// `npm run migrate -- --record-queue`: also make this environment's queue backend (REDIS_URL and
// REDIS_PREFIX, or none) the one every process of the deployment must use (jobs/queue-agreement.ts).
import { ConfigError, loadConfig } from '../config/env.ts';
import { createDatabase } from '../db/database.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { queueIdentity, recordQueue } from '../jobs/queue-agreement.ts';

try {
  const config = loadConfig();
  const database = createDatabase(config.database);
  try {
    const applied = await migrateToLatest(database.db);
    process.stdout.write(applied.length ? `Applied: ${applied.join(', ')}\n` : 'Already up to date.\n');
    if (process.argv.includes('--record-queue')) {
      const queue = queueIdentity(config);
      await recordQueue(database.db, queue);
      process.stdout.write(
        `Recorded the queue: ${queue.backend === 'redis' ? `Redis, REDIS_PREFIX "${queue.prefix}"` : 'the database'}.\n`,
      );
    }
  } finally {
    await database.close();
  }
} catch (err) {
  process.stderr.write(`${err instanceof ConfigError ? err.message : `error: ${(err as Error).message}`}\n`);
  process.exitCode = 1;
}

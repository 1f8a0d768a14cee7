// Runs the migrations in /migrations with Kysely's Migrator (at start and by `npm run migrate`).
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Migration, type MigrationProvider, type MigrationResultSet, Migrator, sql } from 'kysely';
import type { Db } from './database.ts';

const migrationsFolder = fileURLToPath(new URL('../../migrations', import.meta.url));

/**
 * Like Kysely's FileMigrationProvider, but the import happens in our module, so the TypeScript loader
 * in use (tsx in development, Vite in tests) handles the .ts migration files; the compiled server finds
 * them compiled to .js in dist/migrations.
 */
const folderProvider: MigrationProvider = {
  async getMigrations() {
    const files = (await readdir(migrationsFolder))
      .filter((f) => /\.(ts|js|mjs)$/.test(f) && !f.endsWith('.d.ts'))
      .sort();
    const entries = await Promise.all(
      files.map(
        async (f) =>
          [
            f.replace(/\.(ts|js|mjs)$/, ''),
            (await import(pathToFileURL(path.join(migrationsFolder, f)).href)) as Migration,
          ] as const,
      ),
    );
    return Object.fromEntries(entries);
  },
};

/**
 * Kysely looks for its migration tables in every schema of the database: with a second schema
 * migrated in the same database (another deployment, another test file) it would find that one's
 * tables and never create its own. Pinning them to the schema new tables go to avoids that.
 */
async function currentSchema(db: Db): Promise<string> {
  const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
  return rows[0]?.schema ?? 'public';
}

async function createMigrator(db: Db): Promise<Migrator> {
  return new Migrator({
    db,
    provider: folderProvider,
    migrationTableSchema: await currentSchema(db),
    // Features get their migration numbers when they are planned and land in any order: a database
    // that already ran 0012 must still run 0009 when it arrives, instead of refusing to start.
    allowUnorderedMigrations: true,
  });
}

export async function migrateToLatest(db: Db): Promise<string[]> {
  const result: MigrationResultSet = await (await createMigrator(db)).migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    const cause = result.error instanceof Error ? result.error.message : String(result.error);
    throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${cause}`, { cause: result.error });
  }
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

export async function pendingMigrations(db: Db): Promise<string[]> {
  const all = await (await createMigrator(db)).getMigrations();
  return all.filter((m) => !m.executedAt).map((m) => m.name);
}

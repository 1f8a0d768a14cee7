// The HTTP benchmark's database: a PostgreSQL database of its own (so pg_stat_activity finds exactly
// its backends), migrated by the compiled migrate entry point, with one site and three seeded articles.
import pg from 'pg';

/** Articles seeded with published comments: name → comment count. */
export const ARTICLES = { small: 1_000, large: 100_000, storm: 1_000 } as const;

/** `base` with another database and an application_name (how CpuMeter tells the backends apart). */
export function databaseUrl(base: string, database: string, applicationName?: string): string {
  const url = new URL(base);
  url.pathname = `/${database}`;
  if (applicationName) url.searchParams.set('application_name', applicationName);
  return url.toString();
}

export async function seed(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(
      `insert into sites (id, name, settings) values ('bench', 'Bench', '{"moderation":"none","origins":[]}')`,
    );
    for (const [article, count] of Object.entries(ARTICLES)) {
      const { rows } = await client.query(
        `insert into articles (site_id, external_id, title, published_count) values ('bench', $1, $1, $2) returning id`,
        [article, count],
      );
      // Top-level comments a second apart in time order.
      await client.query(
        `insert into comments (id, site_id, article_id, root_id, depth, name, email, email_hash, body, status, created_at, published_at)
         select g.id, 'bench', $1, g.id, 0, 'Reader ' || g.i, 'r' || g.i || '@example.com', md5(g.i::text), 'Comment body number ' || g.i || ' with a few words of text.', 'approved', g.t, g.t
         from (select i, gen_random_uuid() as id, now() - ((${count} - i) * interval '1 second') as t from generate_series(1, ${count}) i) g`,
        [rows[0].id],
      );
    }
    await client.query('analyze');
  } finally {
    await client.end();
  }
}

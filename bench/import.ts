// Import parser throughput and memory: generates WordPress WXR files with N comments (default 50,000
// and 200,000) in a temp dir, then parses each in a fresh child process and reports comments per
// second and peak RSS. Memory is flat when the peak does not grow with the file.
// Baseline, measured in the same run on the same file: bare sax with no handlers (the XML
// tokeniser alone), so the ratio shows what our layer (limits, capture, records, HTML to text) costs.
// Then the whole import into PostgreSQL (a fresh schema per run, the importer as the CLI runs it:
// batches of 2,500 comments in one statement each, log rows included, counters recounted at the end),
// and as the database's floor in the same run a bare INSERT … unnest of the same rows (see bareInsert).
// Run: npm run bench:import [-- N1 N2 …]   (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test)
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import sax from 'sax';
import { loadConfig } from '../src/config/env.ts';
import { createContainer } from '../src/container.ts';
import { parseWxr } from '../src/imports/wxr.parser.ts';
import { createLogger } from '../src/shared/logger.ts';

const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

interface Result {
  comments: number;
  ms: number;
  /** CPU time of the importing process (the machine is shared: wall time depends on the neighbours). */
  cpuMs?: number;
  peakRssMb: number;
}

const BODIES = [
  'Great piece. I disagree with the second point though: <a href="https://example.org/data">the data</a> says otherwise.',
  'Thanks for writing this &amp; for the links.\nI had no idea.\n\nOne more thing: what about the <em>budget</em>?',
  'أتفق معك تماماً 👍 — the plan looks solid, but implementation is what matters. <strong>We will see.</strong>',
  'Zoë says: naïve café culture is not a policy. Code: if (a[b[0]]]]><![CDATA[> 1) return;',
  'Short one.',
];

function cdata(s: string): string {
  return `<![CDATA[${s}]]>`;
}

function commentXml(id: number, parent: number, n: number): string {
  const status = n % 50 === 0 ? 'spam' : n % 17 === 0 ? '0' : '1';
  const date = new Date(Date.UTC(2020, 0, 1) + id * 60_000).toISOString().slice(0, 19).replace('T', ' ');
  return `\t\t<wp:comment>
\t\t\t<wp:comment_id>${id}</wp:comment_id>
\t\t\t<wp:comment_author>${cdata(`Reader ${n % 977}`)}</wp:comment_author>
\t\t\t<wp:comment_author_email>${cdata(`reader${n % 977}@example.org`)}</wp:comment_author_email>
\t\t\t<wp:comment_author_url>https://reader${n % 977}.example.org/</wp:comment_author_url>
\t\t\t<wp:comment_author_IP>${cdata(`192.0.2.${n % 250}`)}</wp:comment_author_IP>
\t\t\t<wp:comment_date>${cdata(date)}</wp:comment_date>
\t\t\t<wp:comment_date_gmt>${cdata(date)}</wp:comment_date_gmt>
\t\t\t<wp:comment_content>${cdata(`${BODIES[n % BODIES.length]} (#${n})`)}</wp:comment_content>
\t\t\t<wp:comment_approved>${cdata(status)}</wp:comment_approved>
\t\t\t<wp:comment_type>${cdata('comment')}</wp:comment_type>
\t\t\t<wp:comment_parent>${parent}</wp:comment_parent>
\t\t\t<wp:comment_user_id>0</wp:comment_user_id>
\t\t\t<wp:commentmeta>
\t\t\t\t<wp:meta_key>${cdata('akismet_result')}</wp:meta_key>
\t\t\t\t<wp:meta_value>${cdata('false')}</wp:meta_value>
\t\t\t</wp:commentmeta>
\t\t</wp:comment>
`;
}

function itemXml(post: number, firstId: number, count: number): string {
  let xml = `\t<item>
\t\t<title>${cdata(`Story number ${post}`)}</title>
\t\t<link>https://news.example.com/${post}/</link>
\t\t<guid isPermaLink="false">https://news.example.com/?p=${post}</guid>
\t\t<content:encoded>${cdata(`<p>${'The body of the story, which the importer skips. '.repeat(40)}</p>`)}</content:encoded>
\t\t<wp:post_id>${post}</wp:post_id>
\t\t<wp:post_date_gmt>${cdata('2020-01-01 00:00:00')}</wp:post_date_gmt>
\t\t<wp:comment_status>${cdata('open')}</wp:comment_status>
\t\t<wp:post_type>${cdata('post')}</wp:post_type>
`;
  for (let i = 0; i < count; i++) {
    const id = firstId + i;
    // A third of the comments reply to an earlier comment of the same story.
    const parent = i > 0 && id % 3 === 0 ? firstId + ((id * 7) % i) : 0;
    xml += commentXml(id, parent, id);
  }
  return `${xml}\t</item>\n`;
}

async function generate(path: string, comments: number): Promise<void> {
  const out = createWriteStream(path);
  const write = (s: string) =>
    out.write(s) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r()));
  await write(`<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
\t<title>Bench</title>
\t<link>https://news.example.com</link>
\t<wp:wxr_version>1.2</wp:wxr_version>
`);
  let id = 1;
  for (let post = 1; id <= comments; post++) {
    const count = Math.min(comments - id + 1, 10 + ((post * 37) % 80));
    await write(itemXml(post, id, count));
    id += count;
  }
  await write('</channel>\n</rss>\n');
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
}

/** Runs in a child process: one parse, so peak RSS belongs to it alone. */
async function child(mode: string, path: string, schema?: string): Promise<Result> {
  if (mode === 'db') return importIntoDb(path, schema!);
  if (mode === 'dbbare') return bareInsert(path, schema!);
  const started = performance.now();
  let comments = 0;
  if (mode === 'ours') {
    for await (const r of parseWxr(path)) if (r.type === 'comment') comments++;
  } else {
    const parser = sax.parser(true, { position: true });
    parser.onopentag = (tag) => {
      if (tag.name === 'wp:comment') comments++;
    };
    for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 64 * 1024 }))
      parser.write(chunk);
    parser.close();
  }
  const ms = performance.now() - started;
  return { comments, ms, peakRssMb: process.resourceUsage().maxRSS / 1024 };
}

/** The importer into PostgreSQL, in a schema of its own; only the import itself is timed. */
async function importIntoDb(path: string, schema: string): Promise<Result> {
  const base = loadConfig({
    SECRET_KEY: 'bench-secret-key-bench-secret-key-0123',
    LOG_LEVEL: 'silent',
    DATA_DIR: '/nonexistent',
  });
  const config = Object.freeze({ ...base, database: { kind: 'postgres' as const, url: DATABASE_URL, schema } });
  const container = await createContainer(config, { log: createLogger('silent') });
  try {
    await container.sites.create({ id: 'bench', name: 'Bench', settings: {} });
    const started = performance.now();
    const cpu = process.cpuUsage();
    const report = await container.imports.run('bench', 'wxr', path);
    const ms = performance.now() - started;
    const used = process.cpuUsage(cpu);
    const cpuMs = (used.user + used.system) / 1000;
    return { comments: report.comments.imported, ms, cpuMs, peakRssMb: process.resourceUsage().maxRSS / 1024 };
  } finally {
    await container.close();
  }
}

/**
 * The database's own floor, in the same run: the same comments (parsed beforehand, untimed) written
 * into the same table and indexes as bare multi-row INSERT … SELECT FROM unnest(…) statements of
 * 2,500 rows on one connection, with no parsing, no lookups, no log rows, no recount.
 */
async function bareInsert(path: string, schema: string): Promise<Result> {
  const base = loadConfig({ SECRET_KEY: 'bench-secret-key-bench-secret-key-0123', LOG_LEVEL: 'silent' });
  const config = Object.freeze({ ...base, database: { kind: 'postgres' as const, url: DATABASE_URL, schema } });
  const container = await createContainer(config, { log: createLogger('silent') });
  await container.sites.create({ id: 'bench', name: 'Bench', settings: {} });
  await container.close();
  const client = new pg.Client({ connectionString: DATABASE_URL, options: `-c search_path=${schema}` });
  await client.connect();
  try {
    const articles = new Map<string, number>();
    const ids = new Map<string, { id: string; root: string; depth: number }>();
    const rows: unknown[][] = [];
    for await (const r of parseWxr(path)) {
      if (r.type !== 'comment') continue;
      let article = articles.get(r.articleKey);
      if (article === undefined) {
        const res = await client.query(
          `insert into articles (site_id, external_id) values ('bench', $1) returning id`,
          [r.articleKey],
        );
        article = res.rows[0].id as number;
        articles.set(r.articleKey, article);
      }
      const parent = r.parentSourceId ? ids.get(r.parentSourceId) : undefined;
      const id = randomUUID();
      ids.set(r.sourceId, { id, root: parent?.root ?? id, depth: parent ? parent.depth + 1 : 0 });
      rows.push([
        id,
        article,
        parent?.id ?? null,
        parent?.root ?? id,
        parent ? parent.depth + 1 : 0,
        r.name,
        r.email ?? '',
        'h',
        r.ip,
        r.userAgent,
        r.body,
        r.status,
        r.createdAt.toISOString(),
        `wxr:${r.sourceId}`,
      ]);
    }
    const started = performance.now();
    const cpu = process.cpuUsage();
    for (let at = 0; at < rows.length; at += 2500) {
      const batch = rows.slice(at, at + 2500);
      const col = (i: number) => batch.map((row) => row[i]);
      await client.query(
        `insert into comments (id, site_id, article_id, parent_id, root_id, depth, name, email, email_hash, ip,
                               user_agent, body, status, reasons, created_at, updated_at, source_key)
         select u.id, 'bench', u.a, u.p, u.r, u.d, u.n, u.e, u.h, u.ip, u.ua, u.b, u.s, '[]'::jsonb, u.c, now(), u.k
         from unnest($1::uuid[], $2::int[], $3::uuid[], $4::uuid[], $5::int[], $6::text[], $7::text[], $8::text[],
                     $9::text[], $10::text[], $11::text[], $12::text[], $13::timestamptz[], $14::text[])
              as u (id, a, p, r, d, n, e, h, ip, ua, b, s, c, k)`,
        Array.from({ length: 14 }, (_, i) => col(i)),
      );
    }
    const ms = performance.now() - started;
    const used = process.cpuUsage(cpu);
    return {
      comments: rows.length,
      ms,
      cpuMs: (used.user + used.system) / 1000,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
    };
  } finally {
    await client.end();
  }
}

async function withSchema<T>(work: (schema: string) => Promise<T>): Promise<T> {
  const schema = `bench_import_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: DATABASE_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  try {
    return await work(schema);
  } finally {
    await admin.query(`drop schema if exists ${schema} cascade`);
    await admin.end();
  }
}

function measure(mode: string, path: string, schema?: string): Promise<Result> {
  return new Promise((resolve, reject) => {
    const proc = fork(fileURLToPath(import.meta.url), ['--child', mode, path, ...(schema ? [schema] : [])]);
    proc.once('message', (m) => resolve(m as Result));
    proc.once('error', reject);
    proc.once('exit', (code) => code !== 0 && reject(new Error(`child exited with ${code}`)));
  });
}

async function main(): Promise<void> {
  const sizes = process.argv
    .slice(2)
    .map(Number)
    .filter((n) => n > 0);
  const dir = await mkdtemp(join(tmpdir(), 'bench-import-'));
  const rows: Array<{ n: number; mb: number; ours: Result; bare: Result; db: Result; floor: Result }> = [];
  try {
    for (const n of sizes.length ? sizes : [50_000, 200_000]) {
      const path = join(dir, `wxr-${n}.xml`);
      await generate(path, n);
      const mb = (await stat(path)).size / 1024 / 1024;
      const bare = await measure('bare', path);
      const ours = await measure('ours', path);
      if (ours.comments !== n) throw new Error(`parsed ${ours.comments} comments, expected ${n}`);
      const db = await withSchema((schema) => measure('db', path, schema));
      if (db.comments !== n) throw new Error(`imported ${db.comments} comments, expected ${n}`);
      const floor = await withSchema((schema) => measure('dbbare', path, schema));
      rows.push({ n, mb, ours, bare, db, floor });
      const rate = (r: Result) => Math.round((r.comments / r.ms) * 1000);
      console.log(
        `WXR ${String(n).padStart(9)} comments ${mb.toFixed(1).padStart(7)} MB: ` +
          `${rate(ours).toLocaleString('en-US').padStart(8)} comments/s (${(mb / (ours.ms / 1000)).toFixed(1)} MB/s), ` +
          `peak RSS ${ours.peakRssMb.toFixed(0)} MB | bare sax ${rate(bare).toLocaleString('en-US')} comments/s, ` +
          `peak RSS ${bare.peakRssMb.toFixed(0)} MB | ours/bare time ${(ours.ms / bare.ms).toFixed(2)}x`,
      );
      console.log(
        `  import into PostgreSQL: ${rate(db).toLocaleString('en-US').padStart(8)} comments/s ` +
          `(${(db.ms / 1000).toFixed(1)} s wall, ${((db.cpuMs ?? 0) / 1000).toFixed(1)} s CPU in the importer: ` +
          `${Math.round((db.comments / (db.cpuMs ?? 1)) * 1000).toLocaleString('en-US')} comments per CPU-second), ` +
          `peak RSS ${db.peakRssMb.toFixed(0)} MB | parse alone is ` +
          `${((ours.ms / db.ms) * 100).toFixed(0)}% of it`,
      );
      console.log(
        `  bare INSERT … unnest of the same rows (2,500 a statement, no parse, no log rows): ` +
          `${rate(floor).toLocaleString('en-US')} comments/s (${(floor.ms / 1000).toFixed(1)} s wall) | ` +
          `the import takes ${(db.ms / floor.ms).toFixed(2)}x its time`,
      );
    }
    if (rows.length > 1) {
      const first = rows[0]!;
      const last = rows.at(-1)!;
      console.log(
        `memory: ${last.n / first.n}x the comments (${(last.mb / first.mb).toFixed(1)}x the bytes) → ` +
          `${(last.ours.peakRssMb / first.ours.peakRssMb).toFixed(2)}x the peak RSS parsing, ` +
          `${(last.db.peakRssMb / first.db.peakRssMb).toFixed(2)}x importing`,
      );
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') {
  const result = await child(process.argv[3]!, process.argv[4]!, process.argv[5]);
  process.send!(result);
  process.exit(0);
} else {
  await main();
}

// Import into the database (issue 18, item 1): real-format fixtures through the CLI, then the public
// thread API shows the nesting and counts; a second run changes nothing; a moderator's later decision
// stands; bad files stop with the line and leave what a re-run completes.
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.ts';
import { tableRowsAsText } from '../support/db-dump.ts';
import { call, createSite } from '../support/http.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';

const FIXTURES = path.resolve('tests/fixtures/imports');
const fixture = (name: string) => path.join(FIXTURES, name);

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(() => ctx.close());

async function cli(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(argv, ctx.container, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

async function importJson(site: string, format: string, file: string, ...more: string[]) {
  const r = await cli('import', '--site', site, '--format', format, file, '--json', ...more);
  if (r.code !== 0) throw new Error(`import failed: ${r.err}`);
  return JSON.parse(r.out);
}

interface PublicNode {
  name: string;
  html: string;
  deleted?: boolean;
  replies: PublicNode[];
}

/** The thread as the public API shows it: names and nesting (placeholders as "[deleted]"). */
async function threadShape(site: string, articleId: string) {
  const res = await call(ctx, `/api/v1/sites/${site}/articles/${encodeURIComponent(articleId)}/comments?limit=100`);
  expect(res.status).toBe(200);
  const shape = (n: PublicNode): unknown => ({
    name: n.deleted ? '[deleted]' : n.name,
    replies: n.replies.map(shape),
  });
  return {
    count: res.body.article.commentCount as number,
    tree: (res.body.comments as PublicNode[]).map(shape),
    body: res.body,
  };
}

async function counts(site: string, ...ids: string[]) {
  const q = ids.map((id) => `articleId=${encodeURIComponent(id)}`).join('&');
  return (await call(ctx, `/api/v1/sites/${site}/counts?${q}`)).body;
}

/**
 * Every row of every table, but the relay's bookkeeping (when events were handed to the queue, and
 * the queue's own rows), which moves on by itself, and the record of each import run itself (its job
 * row and its audit entry: every run, even one that changes nothing, is on record).
 */
async function dump() {
  await ctx.container.relay.drain();
  const db = ctx.container.database.db;
  const { tables } = await tableRowsAsText(ctx);
  const parts: string[] = [];
  for (const name of tables.filter((t) => t !== 'jobs' && t !== 'import_jobs')) {
    const row = name === 'events' ? sql`(id, site_id, type, comment_id, payload)::text` : sql`t::text`;
    const runs =
      name === 'audit_log' ? sql`where action not in ('import.start', 'import.complete', 'import.fail')` : sql``;
    const { rows } = await sql<{ row: string }>`select ${row} as row from ${sql.table(name)} t ${runs}`.execute(db);
    parts.push(`-- ${name}`, ...rows.map((r) => r.row).sort());
  }
  return parts.join('\n');
}

describe('import into a site', () => {
  it('imports a WordPress WXR file with its threading, statuses and text; a second run changes nothing', async () => {
    await createSite(ctx, 'wp');
    const report = await importJson('wp', 'wxr', fixture('wordpress-1.2.wxr.xml'));
    expect(report.comments).toMatchObject({
      imported: 8,
      existing: 0,
      byStatus: { approved: 4, pending: 1, spam: 1, rejected: 2 },
    });
    // Pingbacks and trackbacks are not readers' comments; the attachment's comment is of a post type not imported.
    expect(report.skipped).toEqual({ pingback: 1, trackback: 1, 'post-type': 1 });

    const t = await threadShape('wp', '/2024/01/action-plan/');
    expect(t.tree).toEqual([
      {
        name: 'Ada Lovelace',
        replies: [{ name: 'محمد', replies: [{ name: 'The Editor', replies: [] }] }],
      },
    ]);
    expect(t.count).toBe(3);
    const [ada] = t.body.comments;
    expect(ada.html).toContain('A good start &amp; about time.');
    expect(ada.html).toContain('the analysis (<a href="https://example.org/analysis"');
    expect(ada.replies[0].html).toContain('أتفق معك 👍 — Zoë, naïve café');
    expect(ada.replies[0].replies[0].html).toContain('if (a[b[0]]&gt; 1) { return; } &lt;-- careful');
    expect(await counts('wp', '/2024/01/action-plan/', '/about/')).toEqual({
      counts: { '/2024/01/action-plan/': 3, '/about/': 1 },
    });

    // Spam, trash and the held reply are where moderators look for them, with their source status.
    const queue = await ctx.container.database.db
      .selectFrom('comments')
      .select(['name', 'status', 'email_hash', 'ip', 'source_key'])
      .where('site_id', '=', 'wp')
      .orderBy('source_key')
      .execute();
    expect(queue.find((c) => c.source_key === 'wxr:14')).toMatchObject({ status: 'spam', name: 'Cheap Pills' });
    expect(queue.find((c) => c.source_key === 'wxr:15')).toMatchObject({ status: 'rejected' });
    expect(queue.find((c) => c.source_key === 'wxr:16')).toMatchObject({ status: 'pending' });
    expect(queue.find((c) => c.source_key === 'wxr:12')).toMatchObject({ ip: '2001:db8::7' });
    // The author identity is the same HMAC a comment posted here gets, so trust and history carry over.
    const { emailHash } = await import('../../src/shared/identity.ts');
    expect(queue.find((c) => c.source_key === 'wxr:11')!.email_hash).toBe(
      emailHash(ctx.container.secretKey, 'ada@example.org'),
    );

    const before = await dump();
    const again = await importJson('wp', 'wxr', fixture('wordpress-1.2.wxr.xml'));
    expect(again.comments).toMatchObject({ imported: 0, existing: 8 });
    expect(again.eventId).toBeNull();
    expect(await dump()).toBe(before);
  });

  it('emits one import.completed event with the counts and no per-comment events', async () => {
    await createSite(ctx, 'wp-events');
    const report = await importJson('wp-events', 'wxr', fixture('wordpress-1.2.wxr.xml'));
    const events = await ctx.container.database.db
      .selectFrom('events')
      .select(['id', 'type', 'payload', 'comment_id'])
      .where('site_id', '=', 'wp-events')
      .execute();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ id: report.eventId, type: 'import.completed', comment_id: null });
    expect(events[0]!.payload).toMatchObject({
      type: 'import.completed',
      data: { site: { id: 'wp-events' }, format: 'wxr', comments: { imported: 8 } },
    });
    // Each imported comment has its first moderation-log row, naming the import as the actor.
    const log = await ctx.container.database.db
      .selectFrom('moderation_log')
      .select(['actor_type', 'from_status', 'to_status', 'note'])
      .where('site_id', '=', 'wp-events')
      .execute();
    expect(log).toHaveLength(8);
    expect(log[0]).toMatchObject({ actor_type: 'cli', from_status: null, note: 'imported from wxr' });
  });

  it("never overwrites a moderator's later decision and never deletes", async () => {
    await createSite(ctx, 'wp-mod');
    await importJson('wp-mod', 'wxr', fixture('wordpress-1.2.wxr.xml'));
    const db = ctx.container.database.db;
    const ada = await db
      .selectFrom('comments')
      .select('id')
      .where('site_id', '=', 'wp-mod')
      .where('source_key', '=', 'wxr:11')
      .executeTakeFirstOrThrow();
    await ctx.container.moderation.setStatus(ada.id, 'rejected', { type: 'cli', id: 'test' });
    const own = await call(ctx, '/api/v1/sites/wp-mod/comments', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        articleId: '/2024/01/action-plan/',
        name: 'Here',
        email: 'here@example.com',
        body: 'Posted here',
      }),
    });
    expect(own.status).toBe(201);

    const again = await importJson('wp-mod', 'wxr', fixture('wordpress-1.2.wxr.xml'));
    expect(again.comments.imported).toBe(0);
    const row = await db.selectFrom('comments').select('status').where('id', '=', ada.id).executeTakeFirstOrThrow();
    expect(row.status).toBe('rejected');
    // Ada's two approved replies are not shown under her rejected comment, so they are not counted.
    expect((await threadShape('wp-mod', '/2024/01/action-plan/')).count).toBe(own.body.status === 'approved' ? 1 : 0);
    const total = await db
      .selectFrom('comments')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('site_id', '=', 'wp-mod')
      .executeTakeFirstOrThrow();
    expect(Number(total.n)).toBe(9);
  });

  it('imports a Disqus export: a deleted comment with replies is a placeholder, spam is held back', async () => {
    await createSite(ctx, 'dq');
    const report = await importJson('dq', 'disqus', fixture('disqus.xml'));
    expect(report.comments.byStatus).toMatchObject({ spam: 1, deleted: 2 });
    const t = await threadShape('dq', 'action-plan');
    const tops = t.tree as { name: string; replies: unknown[] }[];
    expect(tops).toContainEqual({
      name: '[deleted]',
      replies: [{ name: expect.any(String), replies: [{ name: expect.any(String), replies: [] }] }],
    });
    // The deleted comment nobody answered is not shown at all.
    expect(tops.filter((c) => c.name === '[deleted]')).toHaveLength(1);
    const placeholder = await ctx.container.database.db
      .selectFrom('comments')
      .select(['name', 'email', 'email_hash', 'ip', 'body', 'status'])
      .where('source_key', '=', 'disqus:5002')
      .executeTakeFirstOrThrow();
    expect(placeholder).toEqual({ name: '', email: '', email_hash: '', ip: null, body: '', status: 'deleted' });
    const deep = t.body.comments.find((c: PublicNode) => c.deleted).replies[0];
    expect(deep.html).toContain('أتفق معك 👍');
    expect(deep.replies[0].html).toContain('if (a[b[0]]&gt; 1)');
    // 5001, 5003, 5004 and the post without a dsq:id are visible; 5007 is on another thread.
    expect(t.count).toBe(4);

    const again = await importJson('dq', 'disqus', fixture('disqus.xml'));
    expect(again.comments).toMatchObject({ imported: 0, existing: report.comments.imported });
  });

  it('imports Isso and Remark42 threads with their nesting', async () => {
    await createSite(ctx, 'isso');
    const isso = await importJson('isso', 'isso', await issoDatabase());
    expect(isso.comments.imported).toBeGreaterThan(0);
    await createSite(ctx, 'r42');
    const r42 = await importJson('r42', 'remark42', fixture('remark42-backup.jsonl'));
    expect(r42.comments.imported).toBeGreaterThan(0);
    for (const site of ['isso', 'r42']) {
      const articles = await ctx.container.database.db
        .selectFrom('articles')
        .select(['external_id', 'published_count'])
        .where('site_id', '=', site)
        .execute();
      const nested = [];
      for (const a of articles) {
        const t = await threadShape(site, a.external_id);
        expect(t.count).toBe(a.published_count);
        nested.push(...(t.tree as { replies: unknown[] }[]).filter((c) => c.replies.length > 0));
      }
      expect(nested.length).toBeGreaterThan(0);
    }
    expect((await importJson('r42', 'remark42', fixture('remark42-backup.jsonl'))).comments.imported).toBe(0);
  });

  it('maps old URLs with --remap rules onto the new articles', async () => {
    await createSite(ctx, 'moved');
    await importJson(
      'moved',
      'wxr',
      fixture('wordpress-1.2.wxr.xml'),
      '--remap',
      'https://news.example.com/ => https://example.org/news/',
    );
    const article = await ctx.container.database.db
      .selectFrom('articles')
      .select(['external_id', 'url', 'title'])
      .where('site_id', '=', 'moved')
      .where('external_id', '=', '/news/2024/01/action-plan/')
      .executeTakeFirstOrThrow();
    expect(article).toEqual({
      external_id: '/news/2024/01/action-plan/',
      url: 'https://example.org/news/2024/01/action-plan/',
      title: 'Leaders sign an action plan',
    });
    expect((await threadShape('moved', '/news/2024/01/action-plan/')).count).toBe(3);
  });

  it('a dry run reports what it would import and writes nothing', async () => {
    await createSite(ctx, 'dry');
    const before = await dump();
    const r = await cli('import', '--site', 'dry', '--format', 'wxr', fixture('wordpress-1.2.wxr.xml'), '--dry-run');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Would import 8 comments \(/);
    expect(await dump()).toBe(before);
  });

  it('stops on a bad file with the line, imports nothing of a small file, and a re-run of a fixed one completes', async () => {
    await createSite(ctx, 'bad');
    const full = await readFile(fixture('wordpress-1.2.wxr.xml'), 'utf8');
    const truncated = path.join(tmpdir(), `truncated-${process.pid}.xml`);
    await writeFile(truncated, full.slice(0, full.indexOf('<wp:comment_id>16')));
    const before = await dump();
    const r = await cli('import', '--site', 'bad', '--format', 'wxr', truncated);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/line \d+/);
    expect(await dump()).toBe(before);
    const wrong = await cli('import', '--site', 'bad', '--format', 'disqus', fixture('wordpress-1.2.wxr.xml'));
    expect(wrong.code).toBe(1);
    expect(wrong.err).toMatch(/wxr/);
    expect(await dump()).toBe(before);

    // Large files are written in batches: the error says how much was stored before it stopped.
    const stopped = await ctx.container.imports.run('bad', 'wxr', truncated, { batchSize: 2 }).catch((e) => e);
    expect(stopped.message).toMatch(/line \d+.*Before it stopped, \d+ comments were imported/s);
    const done = await ctx.container.imports.run('bad', 'wxr', fixture('wordpress-1.2.wxr.xml'), { batchSize: 2 });
    expect(done.comments.imported + done.comments.existing).toBe(8);
    expect(done.comments.existing).toBeGreaterThan(0);
    const t = await threadShape('bad', '/2024/01/action-plan/');
    expect(t.count).toBe(3);
    expect(t.tree).toHaveLength(1);
  });

  it('refuses an unknown site or format with a clear message', async () => {
    const site = await cli('import', '--site', 'nope', '--format', 'wxr', fixture('wordpress-1.2.wxr.xml'));
    expect(site.code).toBe(1);
    expect(site.err).toMatch(/site/i);
    const format = await cli('import', '--site', 'wp', '--format', 'blogger', fixture('wordpress-1.2.wxr.xml'));
    expect(format.code).toBe(1);
    expect(format.err).toContain('format');
  });
});

/** The Isso fixture is SQL text; Isso's real export is its SQLite file, built here with sql.js. */
async function issoDatabase(): Promise<string> {
  const initSqlJs = (await import('sql.js')).default;
  const SQL = await initSqlJs();
  const db = new SQL.Database();
  db.exec(await readFile(fixture('isso.sql'), 'utf8'));
  const file = path.join(tmpdir(), `isso-${process.pid}.db`);
  await writeFile(file, db.export());
  db.close();
  return file;
}

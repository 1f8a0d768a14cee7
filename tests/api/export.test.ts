// Export (issue 18, item 2): streamed jsonl and WXR; export then import into an empty site gives the
// same threads (every comment with its status, author, text, date and parent), and importing our own
// export back into the site it came from adds nothing.
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.ts';
import { call, createSite } from '../support/http.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';

const FIXTURES = path.resolve('tests/fixtures/imports');
const tmp = (name: string) => path.join(tmpdir(), `export-${process.pid}-${name}`);

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
  await createSite(ctx, 'origin');
  for (const [format, file] of [
    ['wxr', 'wordpress-1.2.wxr.xml'],
    ['disqus', 'disqus.xml'],
  ] as const) {
    const r = await cli('import', '--site', 'origin', '--format', format, path.join(FIXTURES, file));
    if (r.code !== 0) throw new Error(r.err);
  }
});
afterAll(() => ctx.close());

async function cli(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(argv, ctx.container, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

/** Every comment of a site as text that does not depend on ids: article, status, author, text, date, parent. */
async function commentsOf(site: string): Promise<string[]> {
  const { rows } = await sql<{ line: string }>`
    select concat_ws(' | ', a.external_id, c.status, c.name, c.email, c.ip, c.user_agent, c.body,
                     to_char(c.created_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS'), c.depth,
                     p.name, p.body) as line
    from comments c join articles a on a.id = c.article_id left join comments p on p.id = c.parent_id
    where c.site_id = ${site}`.execute(ctx.container.database.db);
  return rows.map((r) => r.line).sort();
}

async function publicThreads(site: string) {
  const articles = await ctx.container.database.db
    .selectFrom('articles')
    .select(['external_id', 'url', 'title', 'closed_at'])
    .where('site_id', '=', site)
    .orderBy('external_id')
    .execute();
  const threads = [];
  for (const a of articles) {
    const res = await call(ctx, `/api/v1/sites/${site}/articles/${encodeURIComponent(a.external_id)}/comments`);
    expect(res.status).toBe(200);
    const strip = (n: { name: string; html: string; createdAt: string; replies: unknown[] }): unknown => ({
      name: n.name,
      html: n.html,
      createdAt: n.createdAt,
      replies: (n.replies as (typeof n)[]).map(strip),
    });
    threads.push({
      article: { ...a, closed: a.closed_at !== null, closed_at: undefined },
      count: res.body.article.commentCount,
      comments: res.body.comments.map(strip),
    });
  }
  return threads;
}

describe('export', () => {
  it('round trip in jsonl: export, then import into an empty site, gives the same threads', async () => {
    const file = tmp('origin.jsonl');
    const exported = await cli('export', '--site', 'origin', '--output', file);
    expect(exported.code).toBe(0);
    const lines = (await readFile(file, 'utf8')).trim().split('\n');
    expect(JSON.parse(lines[0]!)).toMatchObject({ format: 'comments-export', version: 1, site: { id: 'origin' } });
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ type: 'end', comments: (await commentsOf('origin')).length });

    await createSite(ctx, 'copy');
    const r = await cli('import', '--site', 'copy', '--format', 'jsonl', file, '--json');
    expect(r.code).toBe(0);
    expect(await commentsOf('copy')).toEqual(await commentsOf('origin'));
    expect(await publicThreads('copy')).toEqual(await publicThreads('origin'));
    expect((await publicThreads('copy')).some((t) => t.comments.some((c: any) => c.replies.length > 0))).toBe(true);

    // Our export read back into the site it came from finds every comment there already.
    const back = JSON.parse((await cli('import', '--site', 'origin', '--format', 'jsonl', file, '--json')).out);
    expect(back.comments).toMatchObject({ imported: 0, existing: (await commentsOf('origin')).length });
  });

  it('round trip in WXR keeps threads, statuses and text', async () => {
    const wxr = await cli('export', '--site', 'origin', '--format', 'wxr');
    expect(wxr.code).toBe(0);
    expect(wxr.out).toContain('<wp:wxr_version>1.2</wp:wxr_version>');
    const file = tmp('origin.xml');
    await import('node:fs/promises').then((fs) => fs.writeFile(file, wxr.out));
    await createSite(ctx, 'wxr-copy');
    const r = await cli('import', '--site', 'wxr-copy', '--format', 'wxr', file);
    expect(r.code, r.err).toBe(0);
    expect(await publicThreads('wxr-copy')).toEqual(await publicThreads('origin'));
    const statuses = async (site: string) =>
      (await commentsOf(site)).map((l) => l.split(' | ').slice(0, 2).join(' | ')).sort();
    expect(await statuses('wxr-copy')).toEqual(await statuses('origin'));
  });

  it('exports one article, and refuses an unknown site, article or format', async () => {
    // The Disqus thread has the WordPress post's URL, so both imports landed on the one article.
    const one = await cli('export', '--site', 'origin', '--article', '/2024/01/action-plan/');
    expect(one.code, one.err).toBe(0);
    const records = one.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(records.filter((r) => r.type === 'article').map((r) => r.id)).toEqual(['/2024/01/action-plan/']);
    const comments = records.filter((r) => r.type === 'comment');
    expect(comments.every((r) => r.articleId === '/2024/01/action-plan/')).toBe(true);
    expect(comments.map((c) => c.name)).toEqual(expect.arrayContaining(['Ada Lovelace', 'Cheap Pills']));
    expect((await cli('export', '--site', 'nope')).err).toMatch(/site/i);
    expect((await cli('export', '--site', 'origin', '--article', 'missing')).err).toMatch(/missing/);
    expect((await cli('export', '--site', 'origin', '--format', 'csv')).err).toContain('format');
  });
});

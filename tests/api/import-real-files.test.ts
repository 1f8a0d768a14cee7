// Import of export files other projects ship as their own test data (tests/fixtures/imports/real/,
// see its README for where each comes from and its license): WordPress's importer, Isso's migration
// tests, Remark42's migrator tests. Through the CLI, into a site; then the public thread API shows the
// nesting, names and counts, and a second run changes nothing.
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.ts';
import { emailHash } from '../../src/shared/identity.ts';
import { bearer, createUser, tokenFor } from '../support/accounts.ts';
import { call, createSite } from '../support/http.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';
import { waitUntil } from '../support/webhook-receiver.ts';

const REAL = path.resolve('tests/fixtures/imports/real');
const real = (name: string) => path.join(REAL, name);

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
  createdAt: string;
  replies: PublicNode[];
}

/** Names and nesting as the public API shows them (placeholders as "[deleted]"). */
async function thread(site: string, articleId: string) {
  const res = await call(ctx, `/api/v1/sites/${site}/articles/${encodeURIComponent(articleId)}/comments?limit=100`);
  expect(res.status, res.text).toBe(200);
  const shape = (n: PublicNode): unknown => ({ name: n.deleted ? '[deleted]' : n.name, replies: n.replies.map(shape) });
  return {
    count: res.body.article.commentCount as number,
    tree: (res.body.comments as PublicNode[]).map(shape),
    comments: res.body.comments as PublicNode[],
  };
}

const rows = (site: string) =>
  ctx.container.database.db
    .selectFrom('comments')
    .select(['source_key', 'name', 'status', 'email_hash', 'ip', 'body', 'created_at'])
    .where('site_id', '=', site)
    .orderBy('source_key')
    .execute();

const articles = (site: string) =>
  ctx.container.database.db
    .selectFrom('articles')
    .select(['external_id', 'url', 'title', 'closed_at'])
    .where('site_id', '=', site)
    .orderBy('external_id')
    .execute();

/** A second run of the same file stores nothing, creates no article and announces nothing. */
async function expectRerunChangesNothing(site: string, format: string, file: string, ...more: string[]) {
  const before = { comments: await rows(site), articles: await articles(site) };
  const again = await importJson(site, format, file, ...more);
  expect(again.comments.imported).toBe(0);
  expect(again.articles.created).toBe(0);
  expect(again.eventId).toBeNull();
  expect({ comments: await rows(site), articles: await articles(site) }).toEqual(before);
}

async function tempFile(name: string, text: string): Promise<string> {
  const file = path.join(tmpdir(), `${process.pid}-${name}`);
  await writeFile(file, text);
  return file;
}

describe("WordPress's own importer test files (WordPress/wordpress-importer phpunit/data)", () => {
  it('valid-wxr-1.1.xml: WXR 1.1 with CRLF line ends, one comment, entities, a page without comments', async () => {
    await createSite(ctx, 'wp11');
    const file = real('wordpress-importer/valid-wxr-1.1.xml');
    expect((await readFile(file, 'latin1')).includes('\r\n')).toBe(true);
    const report = await importJson('wp11', 'wxr', file);
    expect(report.comments).toMatchObject({ imported: 1, existing: 0, byStatus: { approved: 1 } });
    expect(report.articles.created).toBe(1);
    expect(await articles('wp11')).toEqual([
      { external_id: '/?p=1', url: 'http://localhost/?p=1', title: 'Hello world!', closed_at: null },
    ]);
    const t = await thread('wp11', '/?p=1');
    expect(t.tree).toEqual([{ name: 'Mr WordPress', replies: [] }]);
    expect(t.count).toBe(1);
    const [c] = await rows('wp11');
    // <br /> is a line break, &#039; an apostrophe; no email, no IP in the file.
    expect(c!.body).toBe(
      "Hi, this is a comment.\nTo delete a comment, just log in and view the post's comments. There you will have the option to edit or delete them.",
    );
    expect(c).toMatchObject({ email_hash: '', ip: null, status: 'approved' });
    expect(c!.created_at.toISOString()).toBe('2010-10-16T20:53:18.000Z');
    await expectRerunChangesNothing('wp11', 'wxr', file);
  });

  it('test-serialized-comment-meta.xml: WXR 1.0, a post with a zero GMT date, comment meta, CDATA everywhere', async () => {
    await createSite(ctx, 'wp10');
    const file = real('wordpress-importer/test-serialized-comment-meta.xml');
    const report = await importJson('wp10', 'wxr', file);
    expect(report.comments).toMatchObject({ imported: 1, byStatus: { approved: 1 } });
    const [c] = await rows('wp10');
    expect(c).toMatchObject({
      source_key: 'wxr:1',
      name: 'A WordPress Commenter',
      email_hash: emailHash(ctx.container.secretKey, 'wapuu@wordpress.example'),
      ip: null,
    });
    expect(c!.body).toBe(
      'Hi, this is a comment.\nTo get started with moderating, editing, and deleting comments, please visit the Comments screen in the dashboard.\nCommenter avatars come from Gravatar (https://gravatar.com/).',
    );
    expect(c!.created_at.toISOString()).toBe('2020-01-05T12:50:15.000Z');
    expect((await thread('wp10', '/comment-meta')).count).toBe(1);
    await expectRerunChangesNothing('wp10', 'wxr', file);
  });

  it("wxr-with-note-comments.xml (WordPress 6.9): editors' notes are not imported, the page's comment is", async () => {
    await createSite(ctx, 'wpnotes');
    const file = real('wordpress-importer/wxr-with-note-comments.xml');
    const report = await importJson('wpnotes', 'wxr', file);
    expect(report.comments).toMatchObject({ imported: 1, byStatus: { approved: 1 } });
    expect(report.skipped).toEqual({ 'comment-type': 2 });
    expect((await rows('wpnotes')).map((r) => [r.source_key, r.body])).toEqual([
      ['wxr:4', 'Comment on post Page with notes and comments'],
    ]);
    // Nothing waits in the moderation queue: the notes were never readers' comments.
    expect((await rows('wpnotes')).filter((r) => r.status === 'pending')).toEqual([]);
    const t = await thread('wpnotes', '/scope:creative-busy-garden/page-with-notes-and-comments/');
    expect(t.tree).toEqual([{ name: 'admin', replies: [] }]);
    await expectRerunChangesNothing('wpnotes', 'wxr', file);
  });
});

describe("Isso's migration test files (isso-comments/isso isso/tests)", () => {
  it('wordpress.xml: threading three deep, a comment with only a GMT date, multi-line CDATA, a ?p= link, a repeated id', async () => {
    await createSite(ctx, 'issowp');
    const file = real('isso/wordpress.xml');
    const report = await importJson('issowp', 'wxr', file);
    // Seven comments on the first post; the second item repeats comment id 11, which is kept once.
    expect(report.comments).toMatchObject({ imported: 7, existing: 1, byStatus: { approved: 7 } });
    expect(report.orphans).toBe(0);
    const t = await thread('issowp', '/2014/test/');
    expect(t.count).toBe(7);
    expect(t.tree).toEqual([
      { name: 'Ohai', replies: [] },
      {
        name: 'Tester',
        replies: [
          {
            name: 'Tester',
            replies: [
              { name: 'Tester', replies: [] },
              { name: 'Tester', replies: [] },
            ],
          },
        ],
      },
      { name: 'Multiline Author', replies: [] },
      { name: 'Letzter :/', replies: [] },
    ]);
    const byKey = new Map((await rows('issowp')).map((r) => [r.source_key, r]));
    // comment_date_gmt wins over the local comment_date (02:13 GMT, 12:13 local); 7 has only the GMT one.
    expect(byKey.get('wxr:10')!.created_at.toISOString()).toBe('2022-06-06T02:13:14.000Z');
    expect(byKey.get('wxr:7')!.created_at.toISOString()).toBe('2014-04-29T15:21:35.000Z');
    expect(byKey.get('wxr:10')!.body).toBe(
      'When you have a comment with multiple lines:\nWordPress exports it like this.',
    );
    // The email element holds a newline and indentation after the address.
    expect(byKey.get('wxr:2')!.email_hash).toBe(emailHash(ctx.container.secretKey, 'test@example.org'));
    expect(byKey.get('wxr:2')!.ip).toBe('82.119.20.0');
    expect(byKey.get('wxr:7')!.body).toBe('Drölfter!');
    await expectRerunChangesNothing('issowp', 'wxr', file);
  });

  it('disqus.xml: a reply, a thread with nothing but an empty id, a post whose thread is not in the file', async () => {
    await createSite(ctx, 'issodq');
    const file = real('isso/disqus.xml');
    const report = await importJson('issodq', 'disqus', file);
    expect(report.comments).toMatchObject({ imported: 2, byStatus: { approved: 2 } });
    expect(report.skipped).toEqual({ 'missing-thread': 1 });
    // No article for the thread without comments, none invented for the missing thread 1337.
    expect((await articles('issodq')).map((a) => a.external_id)).toEqual(['some-id']);
    const t = await thread('issodq', 'some-id');
    expect(t.tree).toEqual([{ name: 'peter', replies: [{ name: 'user', replies: [] }] }]);
    expect(t.comments[0]!.replies[0]!.html).toContain('Hello, World.');
    await expectRerunChangesNothing('issodq', 'disqus', file);
  });
});

describe("Remark42's migrator test files (umputun/remark42 backend/app/migrator)", () => {
  const fixed = (xml: string) =>
    xml.replace(/^`/, '').replace('<thread dsq:id=247937687/>', '<thread dsq:id="247937687"/>');

  it('testdata/disqus2.xml is refused with the reason and the line, and imports once corrected', async () => {
    await createSite(ctx, 'r42dq');
    // The file starts with a stray backtick (a Go raw string's) and its last post has an unquoted attribute.
    const file = real('remark42/disqus2.xml');
    const stray = await cli('import', '--site', 'r42dq', '--format', 'disqus', file);
    expect(stray.code).toBe(1);
    expect(stray.err).toMatch(/stray characters before the XML starts.*\(line 1, column 1\)/);
    const unquoted = await cli(
      'import',
      '--site',
      'r42dq',
      '--format',
      'disqus',
      real('remark42/disqus_test-xmlTestDisqus.xml'),
    );
    expect(unquoted.code).toBe(1);
    expect(unquoted.err).toMatch(/Unquoted attribute value \(line 147, column \d+\)/);
    expect(await rows('r42dq')).toEqual([]);
    expect(await articles('r42dq')).toEqual([]);

    const corrected = await tempFile('disqus2.xml', fixed(await readFile(file, 'utf8')));
    const report = await importJson('r42dq', 'disqus', corrected);
    // Four visible posts (one with no dsq:id, known by its <id>) and one spam; the post with a broken date is skipped.
    expect(report.comments).toMatchObject({ imported: 5, byStatus: { approved: 4, spam: 1 } });
    expect(report.skipped).toEqual({ invalid: 1 });
    expect(await articles('r42dq')).toEqual([
      {
        external_id: '/2011/03/229_8880.html',
        url: 'http://radio-t.umputun.com/2011/03/229_8880.html',
        title: 'Радио-Т: Радио-Т 229',
        closed_at: null,
      },
      {
        external_id: 'http://www.radio-t.com/p/2011/03/05/podcast-229/',
        url: 'https://radio-t.com/p/2011/03/05/podcast-229/',
        title: 'Радио-Т: Радио-Т 229',
        closed_at: expect.any(Date),
      },
    ]);
    const b = await thread('r42dq', 'http://www.radio-t.com/p/2011/03/05/podcast-229/');
    expect(b.tree).toEqual([
      { name: 'Alexander Blah', replies: [] },
      { name: 'mikhail', replies: [] },
    ]);
    expect(b.comments[1]!.html).toContain('Microsoft показал проводник Windows 8');
    const a = await thread('r42dq', '/2011/03/229_8880.html');
    expect(a.tree).toEqual([
      { name: 'No Username', replies: [] },
      { name: 'Blah Noname', replies: [] },
    ]);
    const spam = (await rows('r42dq')).find((r) => r.status === 'spam');
    expect(spam).toMatchObject({ source_key: 'disqus:299986073', name: 'Spam Noname' });
    expect((await rows('r42dq')).find((r) => r.source_key === 'disqus:12345678890')!.name).toBe('Blah Noname');
    await expectRerunChangesNothing('r42dq', 'disqus', corrected);
  });

  it('testdata/disqus-deleted-post.xml and disqus-deleted-thread.xml (corrected the same way)', async () => {
    await createSite(ctx, 'r42post');
    const post = await tempFile(
      'deleted-post.xml',
      fixed(await readFile(real('remark42/disqus-deleted-post.xml'), 'utf8')),
    );
    const r1 = await importJson('r42post', 'disqus', post);
    expect(r1.comments.byStatus).toMatchObject({ approved: 3, spam: 1 });
    // The deleted post had no replies: nothing of it is shown, and none of its author's data is kept.
    const b = await thread('r42post', 'http://www.radio-t.com/p/2011/03/05/podcast-229/');
    expect(b.tree).toEqual([{ name: 'mikhail', replies: [] }]);
    expect(b.count).toBe(1);
    const deleted = (await rows('r42post')).find((r) => r.source_key === 'disqus:299619020');
    expect(deleted).toMatchObject({ name: '', body: '', ip: null, email_hash: '', status: 'deleted' });
    await expectRerunChangesNothing('r42post', 'disqus', post);

    await createSite(ctx, 'r42thread');
    const gone = await tempFile(
      'deleted-thread.xml',
      fixed(await readFile(real('remark42/disqus-deleted-thread.xml'), 'utf8')),
    );
    const r2 = await importJson('r42thread', 'disqus', gone);
    // The deleted thread and its three posts are skipped; the other thread's two posts come in.
    expect(r2.comments).toMatchObject({ imported: 2, byStatus: { approved: 2 } });
    expect(r2.skipped).toEqual({ 'deleted-thread': 4, invalid: 1 });
    expect((await articles('r42thread')).map((a) => a.external_id)).toEqual(['/2011/03/229_8880.html']);
    await expectRerunChangesNothing('r42thread', 'disqus', gone);
  });

  it("wordpress_test.go's export: a newline before the XML declaration, an attachment, a pingback with a reply", async () => {
    await createSite(ctx, 'r42wp');
    const file = real('remark42/wordpress_test-xmlTestWP.xml');
    expect((await readFile(file, 'utf8')).startsWith('\n<?xml')).toBe(true);
    const report = await importJson('r42wp', 'wxr', file);
    expect(report.comments).toMatchObject({ imported: 3, byStatus: { approved: 2, pending: 1 } });
    expect(report.skipped).toEqual({ pingback: 1 });
    // The reply to the pingback has no parent here: it is kept, at the top level.
    expect(report.orphans).toBe(1);
    const t = await thread('r42wp', '/2010/07/do-you-rp/');
    expect(t.count).toBe(2);
    expect(t.tree).toEqual([
      { name: 'SuperUser1', replies: [] },
      { name: 'SuperUser3', replies: [] },
    ]);
    await expectRerunChangesNothing('r42wp', 'wxr', file);

    // Asked for, the pingback comes too (its author's entities decoded), with the reply under it.
    await createSite(ctx, 'r42ping');
    const pings = await importJson('r42ping', 'wxr', file, '--include-pingbacks');
    expect(pings.comments.imported).toBe(4);
    expect(pings.orphans).toBe(0);
    const p = await thread('r42ping', '/2010/07/do-you-rp/');
    expect(p.tree).toEqual([
      { name: 'SuperUser1', replies: [] },
      { name: "Wednesday Reading « Cynwise's Battlefield Manual", replies: [{ name: 'SuperUser3', replies: [] }] },
    ]);
    expect(p.comments[1]!.html).toContain('I know I’m a bit loony');
  });

  it("native_test.go's backup: indented lines, a read-only post, offsets in the times, a reply to a missing comment", async () => {
    await createSite(ctx, 'r42native');
    const file = real('remark42/native_test-TestNative_Import.jsonl');
    const report = await importJson('r42native', 'remark42', file);
    expect(report.comments).toMatchObject({ imported: 2, byStatus: { approved: 2 } });
    expect(report.orphans).toBe(1);
    const all = await articles('r42native');
    expect(all.map((a) => [a.external_id, a.closed_at !== null])).toEqual([
      ['/', true],
      ['/2', false],
    ]);
    const byKey = new Map((await rows('r42native')).map((r) => [r.source_key, r]));
    const first = byKey.get('remark42:efbc17f177ee1a1c0ee6e1e025749966ec071adc')!;
    expect(first.created_at.toISOString()).toBe('2017-12-20T21:18:22.000Z');
    expect(first.body).toBe('some text, link (http://radio-t.com/)');
    // user.ip is Remark42's keyed hash, not an address.
    expect(first.ip).toBeNull();
    expect((await thread('r42native', '/2')).tree).toEqual([{ name: 'user name', replies: [] }]);
    await expectRerunChangesNothing('r42native', 'remark42', file);
  });
});

describe('the same files through the admin API (upload, then a worker job)', () => {
  it("Isso's wordpress.xml, gzipped, and its disqus.xml give the same threads and reports as the CLI", async () => {
    const admin = bearer(await tokenFor(ctx, await createUser(ctx, 'real-files-admin@example.com', 'admin')));
    await ctx.container.startWorkers();
    async function uploadAndWait(site: string, format: string, body: Uint8Array) {
      await createSite(ctx, site);
      const res = await call(ctx, `/api/v1/admin/sites/${site}/imports?format=${format}`, {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream', ...admin },
        body,
      });
      expect(res.status, res.text).toBe(202);
      return waitUntil(
        async () => {
          const job = (await call(ctx, `/api/v1/admin/sites/${site}/imports/${res.body.job.id}`, { headers: admin }))
            .body.job;
          return job.status === 'completed' || job.status === 'failed' ? job : null;
        },
        20_000,
        'the import job to end',
      );
    }
    const wp = await uploadAndWait('apiwp', 'wxr', gzipSync(await readFile(real('isso/wordpress.xml'))));
    expect(wp.status).toBe('completed');
    expect(wp.report.comments).toMatchObject({ imported: 7, existing: 1 });
    const t = await thread('apiwp', '/2014/test/');
    expect(t.count).toBe(7);
    expect(t.tree[1]).toEqual({
      name: 'Tester',
      replies: [
        {
          name: 'Tester',
          replies: [
            { name: 'Tester', replies: [] },
            { name: 'Tester', replies: [] },
          ],
        },
      ],
    });

    const dq = await uploadAndWait('apidq', 'disqus', await readFile(real('isso/disqus.xml')));
    expect(dq.status).toBe('completed');
    expect(dq.report.skipped).toEqual({ 'missing-thread': 1 });
    expect((await thread('apidq', 'some-id')).tree).toEqual([
      { name: 'peter', replies: [{ name: 'user', replies: [] }] },
    ]);

    const refused = await uploadAndWait('apir42', 'disqus', await readFile(real('remark42/disqus2.xml')));
    expect(refused.status).toBe('failed');
    expect(refused.error).toMatch(/stray characters before the XML starts.*\(line 1, column 1\)/);
  });
});

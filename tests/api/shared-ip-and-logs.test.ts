// The dashboard reads well for a team (issue 13, items 6 and 7): when most recent comments of a site
// come from one IP it warns that TRUST_PROXY is probably missing (and the IP ban's confirmation says
// that ban would hit everyone); the moderation log shows each comment's author, first words and
// article with its full id; the audit log is in words.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, dashboardGet, dashboardPost, type Session, signIn } from '../support/accounts.ts';
import { createSite, submit } from '../support/http.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';

let ctx: TestContext;
let admin: Session;
let directMod: Session;
beforeAll(async () => {
  // TRUST_PROXY off, as in a deployment that forgot it.
  ctx = await createTestContext();
  for (const site of ['proxied', 'direct', 'few']) await createSite(ctx, site, { moderation: 'all' });
  await createUser(ctx, 'ip-admin@example.com', 'admin');
  await createUser(ctx, 'ip-mod@example.com', 'moderator', ['direct']);
  admin = await signIn(ctx, 'ip-admin@example.com');
  directMod = await signIn(ctx, 'ip-mod@example.com');
});
afterAll(() => ctx.close());

/**
 * Comments whose address the server saw as `ips[i]`. Requests in tests have no socket, so the address
 * is written as the server would have recorded it behind a proxy (every reader as the proxy).
 */
async function postFrom(site: string, ips: string[]) {
  for (const ip of ips) {
    const id = (await submit(ctx, site, { articleId: `${site}-a` })).body.id as string;
    await ctx.container.database.db.updateTable('comments').set({ ip }).where('id', '=', id).execute();
  }
}
const warningsIn = (html: string) => html.match(/<p class="warning shared-ip"[^>]*>[\s\S]*?<\/p>/g) ?? [];

describe('the shared-IP warning', () => {
  it('appears when most recent comments of a site came from one IP, and not otherwise', async () => {
    // 22 of 30 from the proxy: warned. 12 of 25: under half. 10 of 10: too few to tell.
    await postFrom('proxied', [
      ...Array(22).fill('192.0.2.10'),
      ...Array.from({ length: 8 }, (_, i) => `198.51.100.${i}`),
    ]);
    await postFrom('direct', [
      ...Array(12).fill('192.0.2.20'),
      ...Array.from({ length: 13 }, (_, i) => `198.51.100.${i}`),
    ]);
    await postFrom('few', Array(10).fill('192.0.2.30'));

    const queue = await dashboardGet(ctx, '/dashboard/queue', admin);
    const warnings = warningsIn(queue.text);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('22 of the last 30 comments on proxied came from one IP, <code>192.0.2.10</code>');
    expect(warnings[0]).toContain('TRUST_PROXY is probably missing');
    expect(warningsIn((await dashboardGet(ctx, '/dashboard/queue?site=direct', admin)).text)).toEqual([]);
    expect(warningsIn((await dashboardGet(ctx, '/dashboard/bans', admin)).text)).toHaveLength(1);
    // A moderator of another site is not told about this one.
    expect(warningsIn((await dashboardGet(ctx, '/dashboard/queue', directMod)).text)).toEqual([]);
  });

  it("says on the IP ban's confirmation that banning the shared IP would hit everyone", async () => {
    const shared = await dashboardPost(ctx, '/dashboard/bans', admin, {
      siteId: 'proxied',
      kind: 'ip',
      value: '192.0.2.10',
      duration: '1',
    });
    const html = await shared.text();
    expect(html).toContain('would hit <strong>22 authors and 22 comments (22 held)</strong>');
    expect(warningsIn(html).join('')).toContain('Banning that IP would hit everyone.');
    const other = await dashboardPost(ctx, '/dashboard/bans', admin, {
      siteId: 'proxied',
      kind: 'ip',
      value: '198.51.100.1',
      duration: '1',
    });
    expect(warningsIn(await other.text())).toEqual([]);
  });
});

describe('readable logs', () => {
  it('show author, excerpt and article title in the moderation log, with the full id to hover and copy', async () => {
    await createSite(ctx, 'logs', { moderation: 'all' });
    const body = `A long and careful comment <b>not bold</b> ${'about the budget '.repeat(12)}`;
    const id = (await submit(ctx, 'logs', { articleId: 'logs-a', name: 'Grace <Hopper>', body })).body.id as string;
    await ctx.container.articles.update({ type: 'cli', id: 'test' }, 'logs', 'logs-a', {
      title: 'Budget <vote> & "debate"',
    });
    const act = await dashboardPost(ctx, `/dashboard/comments/${id}/reject`, admin, { [`expected.${id}`]: 'pending' });
    expect(act.status).toBe(303);

    const log = await dashboardGet(ctx, '/dashboard/log?site=logs', admin);
    expect(log.status).toBe(200);
    const row = log.text.slice(log.text.indexOf('<td class="log-comment">')).split('</tr>')[0]!;
    expect(row).toContain('<bdi>Grace &lt;Hopper&gt;</bdi>');
    expect(row).toContain('A long and careful comment &lt;b&gt;not bold&lt;/b&gt; about the budget');
    expect(row).toContain('…');
    expect(row).not.toContain(body.slice(0, 200));
    expect(row).toContain('on <bdi>Budget &lt;vote&gt; &amp; &quot;debate&quot;</bdi>');
    expect(row).toContain(`<code title="${id}">${id}</code>`);
    expect(row).toContain(`data-copy="${id}"`);
    expect(log.text).toMatch(/<script src="\/dashboard\/assets\/dashboard-copy\.js\?v=[\w-]+" defer=""><\/script>/);
    const script = await ctx.app.request('/dashboard/assets/dashboard-copy.js');
    expect(script.status).toBe(200);
    expect(await script.text()).toContain('navigator.clipboard');
  });

  it('show audit entries in words, not JSON', async () => {
    const res = await dashboardPost(ctx, '/dashboard/bans', admin, {
      siteId: 'logs',
      kind: 'domain',
      value: 'spam.example',
      duration: '',
      reason: 'a <script> farm',
      confirm: '1',
      rejectHeld: '1',
    });
    expect(res.status).toBe(303);
    const audit = await dashboardGet(ctx, '/dashboard/audit', admin);
    expect(audit.text).toContain(
      '<strong>ip-admin@example.com</strong> banned the email domain <bdi>spam.example</bdi> on logs (“<bdi>a &lt;script&gt; farm</bdi>”) (0 held comments rejected).',
    );
    expect(audit.text).toContain('changed the article <bdi>logs-a</bdi> on logs: title');
    expect(audit.text).not.toContain('{&quot;');
    expect(audit.text).not.toMatch(/\{"kind"/);
  });
});

// Identity in the queue (issue 13, item 6): a card warns when the same email has posted under other
// names on the site, and the moderation API says which.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, bearer, createUser, dashboardGet, type Session, signIn, tokenFor } from '../support/accounts.ts';
import { approve, createSite, submit } from '../support/http.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';

let ctx: TestContext;
let session: Session;
let auth: Record<string, string>;
beforeAll(async () => {
  ctx = await createTestContext();
  await createSite(ctx, 'names', { moderation: 'first' });
  await createSite(ctx, 'names2', { moderation: 'all' });
  const mod = await createUser(ctx, 'names-mod@example.com', 'admin');
  session = await signIn(ctx, 'names-mod@example.com');
  auth = bearer(await tokenFor(ctx, mod));
});
afterAll(() => ctx.close());

describe('the same email under other names', () => {
  it('warns on the card and lists the other names in the API; one name only: no warning', async () => {
    const email = 'shared@example.com';
    await approve(ctx, (await submit(ctx, 'names', { name: 'Regular Reader', email, articleId: 'n' })).body.id);
    const borrowed = (await submit(ctx, 'names', { name: 'Reader One', email, articleId: 'n', body: 'borrowed' })).body
      .id;
    // Another site's names are not this site's business.
    await submit(ctx, 'names2', { name: 'Elsewhere Name', email, articleId: 'n' });
    const loner = (await submit(ctx, 'names', { name: 'Only Me', email: 'loner@example.com', articleId: 'n' })).body.id;

    const page = await dashboardGet(ctx, '/dashboard/queue?status=pending&site=names', session);
    const cardOf = (id: string) => page.text.slice(page.text.indexOf(`id="c-${id}"`)).split('<li class="card"')[0]!;
    expect(cardOf(borrowed)).toContain('This email has also posted as <bdi>Regular Reader</bdi>');
    expect(cardOf(borrowed)).not.toContain('Elsewhere Name');
    expect(cardOf(loner)).not.toContain('also posted as');

    const list = await api(ctx, 'GET', '/api/v1/moderation/comments?siteId=names&status=pending', auth);
    const item = (id: string) => list.body.items.find((i: any) => i.id === id);
    expect(item(borrowed).otherNames).toEqual(['Regular Reader']);
    expect(item(loner).otherNames).toEqual([]);
  });
});

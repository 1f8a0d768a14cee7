// A sign-in ends the session the browser already had: a session cookie planted before sign-in
// (fixation), or another account's on a shared computer, stops working the moment someone signs in
// with it in the request, over the JSON route and the dashboard form alike. A failed sign-in ends
// nothing (a wrong password is no way to sign someone else out).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createUser, dashboardGet, PASSWORD, setCookieNamed, signIn } from '../support/accounts.ts';
import { createSite, expectProblem, postJson } from '../support/http.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
  await createSite(ctx, 'fixation');
  await createUser(ctx, 'planted@example.com', 'moderator', ['fixation']);
  await createUser(ctx, 'victim@example.com', 'moderator', ['fixation']);
});
afterAll(() => ctx.close());

const me = (cookie: string) => api(ctx, 'GET', '/api/v1/auth/me', { cookie });

describe('signing in', () => {
  it('over the API ends the session the request carried, and keeps it when the password was wrong', async () => {
    const planted = await signIn(ctx, 'planted@example.com');
    expect((await me(planted.cookie)).status).toBe(200);
    const wrong = await postJson(
      ctx,
      '/api/v1/auth/login',
      { email: 'victim@example.com', password: 'not the password at all' },
      { cookie: planted.cookie },
    );
    expect(wrong.status).toBe(401);
    expect((await me(planted.cookie)).status).toBe(200);
    const victim = await signIn(ctx, 'victim@example.com', PASSWORD, { cookie: planted.cookie });
    expect(victim.cookie).not.toBe(planted.cookie);
    expectProblem(await me(planted.cookie), 401);
    expect((await me(victim.cookie)).body.user.email).toBe('victim@example.com');
  });

  it('with the dashboard form ends the session the browser had', async () => {
    const planted = await signIn(ctx, 'planted@example.com');
    // The form posts while the planted cookie is set; a signed-in browser is sent on from the form page.
    const res = await ctx.app.request('http://localhost/dashboard/login', {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: 'http://localhost',
        cookie: planted.cookie,
      },
      body: new URLSearchParams({
        email: 'victim@example.com',
        password: PASSWORD,
        next: '/dashboard/queue',
      }).toString(),
    });
    expect(res.status).toBe(303);
    const fresh = setCookieNamed(res.headers, 'cms_session')!.split(';')[0]!;
    expect(fresh).not.toBe(planted.cookie);
    expectProblem(await me(planted.cookie), 401);
    expect((await dashboardGet(ctx, '/dashboard/queue', { cookie: fresh } as never)).status).toBe(200);
  });
});

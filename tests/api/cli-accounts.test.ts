// The account and token commands of the operator CLI: passwords only from standard input, tokens
// printed once, every change audited as the CLI's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.ts';
import { api, bearer } from '../support/accounts.ts';
import { createSite } from '../support/http.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
  await createSite(ctx, 'cli-a');
  await createSite(ctx, 'cli-b');
});
afterAll(() => ctx.close());

async function cli(argv: string[], stdin?: string) {
  let out = '';
  let err = '';
  const code = await runCli(argv, ctx.container, {
    out: (s) => (out += s),
    err: (s) => (err += s),
    ...(stdin !== undefined ? { readStdin: async () => stdin } : {}),
  });
  return { code, out, err };
}

describe('users and tokens from the CLI', () => {
  it('creates a moderator with sites, the password read from standard input (one trailing newline dropped)', async () => {
    const created = await cli(
      ['users:create', '--email', 'Desk@Example.com', '--role', 'moderator', '--site', 'cli-a', '--site', 'cli-b'],
      'a password from stdin\n',
    );
    expect(created.code, created.err).toBe(0);
    expect(JSON.parse(created.out)).toMatchObject({
      email: 'desk@example.com',
      role: 'moderator',
      siteIds: ['cli-a', 'cli-b'],
    });
    const login = await api(
      ctx,
      'POST',
      '/api/v1/auth/login',
      {},
      { email: 'desk@example.com', password: 'a password from stdin' },
    );
    expect(login.status).toBe(200);
    const noPassword = await cli(['users:create', '--email', 'x@example.com', '--role', 'admin'], '');
    expect(noPassword.code).toBe(1);
    expect(noPassword.err).toContain('No password on standard input');
    const badRole = await cli(['users:create', '--email', 'y@example.com', '--role', 'owner'], 'long enough password');
    expect(badRole.err).toContain('role: must be admin or moderator');
  });

  it('lists, updates sites and role, disables and enables, and resets passwords', async () => {
    expect((await cli(['users:list'])).out).toMatch(/^desk@example\.com\tmoderator\tcli-a,cli-b\tenabled\t/m);
    const sites = async (...flags: string[]) => {
      const res = await cli(['users:update', '--email', 'desk@example.com', ...flags]);
      return res.code === 0 ? [...JSON.parse(res.out).siteIds].sort() : res.err;
    };
    // --site adds, --remove-site takes out, --clear-sites with --site sets the whole list.
    expect(await sites('--remove-site', 'cli-a')).toEqual(['cli-b']);
    expect(await sites('--site', 'cli-a')).toEqual(['cli-a', 'cli-b']);
    expect(await sites('--remove-site', 'cli-c')).toContain('"cli-c" is not assigned');
    expect(await sites('--clear-sites', '--site', 'cli-b')).toEqual(['cli-b']);
    expect(JSON.parse((await cli(['users:update', '--email', 'desk@example.com', '--disable'])).out).disabled).toBe(
      true,
    );
    expect(
      (
        await api(
          ctx,
          'POST',
          '/api/v1/auth/login',
          {},
          { email: 'desk@example.com', password: 'a password from stdin' },
        )
      ).status,
    ).toBe(401);
    expect(
      JSON.parse((await cli(['users:update', '--email', 'desk@example.com', '--enable', '--role', 'admin'])).out),
    ).toMatchObject({ disabled: false, role: 'admin' });
    const reset = await cli(['users:reset-password', '--email', 'desk@example.com'], 'the second password\r\n');
    expect(reset.code, reset.err).toBe(0);
    expect(
      (await api(ctx, 'POST', '/api/v1/auth/login', {}, { email: 'desk@example.com', password: 'the second password' }))
        .status,
    ).toBe(200);
    expect((await cli(['users:update', '--email', 'nobody@example.com', '--disable'])).err).toContain(
      'No account for nobody@example.com',
    );
    expect((await cli(['users:update', '--email', 'desk@example.com', '--disable', '--enable'])).code).toBe(1);
  });

  it('creates a token printed once, lists it without the token, and revokes it', async () => {
    const created = await cli(['tokens:create', '--email', 'desk@example.com', '--name', 'nightly export']);
    expect(created.code, created.err).toBe(0);
    const { id, token, name } = JSON.parse(created.out);
    expect(name).toBe('nightly export');
    expect(created.err).toContain('not shown again');
    expect((await api(ctx, 'GET', '/api/v1/auth/me', bearer(token))).status).toBe(200);
    const listed = await cli(['tokens:list', '--email', 'desk@example.com']);
    expect(listed.out).toContain(id);
    expect(listed.out).not.toContain(token);
    expect((await cli(['tokens:revoke', '--id', id])).out).toBe(`Revoked ${id} (nightly export).\n`);
    expect((await api(ctx, 'GET', '/api/v1/auth/me', bearer(token))).status).toBe(401);
    const audit = await ctx.container.admin.auditLog({ actor: 'cli', limit: 100 });
    expect(audit.entries.map((e) => e.action)).toEqual(
      expect.arrayContaining([
        'user.create',
        'user.update',
        'user.disable',
        'user.enable',
        'user.reset-password',
        'token.create',
        'token.revoke',
      ]),
    );
  });

  it('documents the commands in --help', async () => {
    const help = await cli(['--help']);
    for (const name of [
      'users:create',
      'users:list',
      'users:update',
      'users:reset-password',
      'tokens:create',
      'tokens:revoke',
      'tokens:list',
    ])
      expect(help.out).toContain(name);
    expect((await cli(['users:create', '--help'])).out).toContain('standard input');
  });
});

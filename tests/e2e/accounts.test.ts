// The real process: ADMIN_EMAIL / ADMIN_PASSWORD make the first admin, who signs in to the dashboard;
// the CLI creates a moderator with the password on standard input (handed to the running server in
// embedded mode), and that moderator signs in too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshEnvironment, runTsx, type ServerProcess, startServer } from '../support/server-process.ts';

let server: ServerProcess;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  const fresh = await freshEnvironment();
  cleanup = fresh.cleanup;
  server = await startServer('src/bin/server.ts', {
    ...fresh.env,
    ADMIN_EMAIL: 'first@example.com',
    ADMIN_PASSWORD: 'first admin password',
  });
});
afterAll(async () => {
  await server?.stop('SIGKILL');
  await cleanup?.();
});

async function signIn(email: string, password: string): Promise<Response> {
  return fetch(`${server.url}/dashboard/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.url },
    body: new URLSearchParams({ email, password, next: '/dashboard/users' }).toString(),
  });
}

describe('accounts in the running service', () => {
  it('signs in the configured admin, and a moderator created with the CLI', async () => {
    const admin = await signIn('first@example.com', 'first admin password');
    expect(admin.status).toBe(303);
    const cookie = admin.headers.get('set-cookie')!.split(';')[0]!;
    const users = await fetch(`${server.url}/dashboard/users`, { headers: { cookie } });
    expect(await users.text()).toContain('first@example.com');

    const created = await runTsx(
      'src/bin/cli.ts',
      ['users:create', '--email', 'desk@example.com', '--role', 'moderator', '--site', 'demo'],
      server.env,
      'desk password 12345\n',
    );
    expect(created.code, created.stderr).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ email: 'desk@example.com', siteIds: ['demo'] });
    const listed = await runTsx('src/bin/cli.ts', ['users:list'], server.env);
    expect(listed.stdout).toContain('desk@example.com\tmoderator\tdemo\tenabled');
    expect((await signIn('desk@example.com', 'desk password 12345')).status).toBe(303);
  });
});

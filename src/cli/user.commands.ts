// Accounts and API tokens from the shell. Passwords come from standard input, never from arguments
// (arguments end up in shell history and process lists).
import type { Command } from 'commander';
import { CLI_ACTOR } from '../domain/actor.ts';
import type { UserRole } from '../domain/principal.ts';
import { ValidationError } from '../shared/errors.ts';
import { type CliIo, collect, printJson, type Services } from './command-context.ts';

async function passwordFromStdin(io: CliIo): Promise<string> {
  const raw = io.readStdin ? await io.readStdin() : '';
  // One trailing line break is the terminal's or echo's, not the password's.
  const password = raw.replace(/\r?\n$/, '');
  if (!password) {
    throw new ValidationError(
      [
        {
          path: 'password',
          message: 'pipe it on standard input, e.g. printf \'%s\' "$PASSWORD" | npm run cli -- users:create …',
        },
      ],
      'No password on standard input.',
    );
  }
  return password;
}

/** `--clear-sites` starts from none, `--remove-site` takes sites out, `--site` adds them. */
function assignedSites(current: string[], o: { site?: string[]; removeSite?: string[]; clearSites?: boolean }) {
  const base = o.clearSites ? [] : current;
  const missing = (o.removeSite ?? []).filter((id) => !base.includes(id));
  if (missing.length > 0)
    throw new ValidationError(missing.map((id) => ({ path: '--remove-site', message: `"${id}" is not assigned` })));
  const kept = base.filter((id) => !o.removeSite?.includes(id));
  return [...kept, ...(o.site ?? []).filter((id) => !kept.includes(id))];
}

export function registerUserCommands(program: Command, services: () => Services, io: CliIo): void {
  program
    .command('users:create')
    .description('Create an admin or a moderator; the password is read from standard input')
    .requiredOption('--email <email>', 'sign-in email')
    .requiredOption('--role <role>', 'admin | moderator')
    .option('--site <id>', 'a site the moderator works on (repeatable)', collect)
    .action(async (o: { email: string; role: string; site?: string[] }) => {
      const password = await passwordFromStdin(io);
      printJson(
        io,
        await services().users.create(
          { email: o.email, role: o.role as UserRole, password, siteIds: o.site ?? [] },
          CLI_ACTOR,
        ),
      );
    });

  program
    .command('users:list')
    .description('List accounts with their role, sites and state')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const users = await services().users.list();
      if (o.json) return printJson(io, users);
      if (users.length === 0)
        return io.out('No accounts yet. Create one with users:create (or set ADMIN_EMAIL and ADMIN_PASSWORD).\n');
      for (const u of users) {
        io.out(
          `${u.email}\t${u.role}\t${u.role === 'admin' ? '(all sites)' : u.siteIds.join(',') || '(no sites)'}\t${u.disabled ? 'disabled' : 'enabled'}\t${u.id}\n`,
        );
      }
    });

  program
    .command('users:update')
    .description("Change an account's role or sites, or disable / enable it (disabling signs it out everywhere)")
    .requiredOption('--email <email>', 'sign-in email')
    .option('--role <role>', 'admin | moderator')
    .option('--site <id>', 'assign a site (repeatable; adds to the assigned sites)', collect)
    .option('--remove-site <id>', 'unassign a site (repeatable)', collect)
    .option('--clear-sites', 'unassign every site first (with --site: sets the whole list)')
    .option('--disable', 'disable the account')
    .option('--enable', 'enable the account')
    .action(
      async (o: {
        email: string;
        role?: string;
        site?: string[];
        removeSite?: string[];
        clearSites?: boolean;
        disable?: boolean;
        enable?: boolean;
      }) => {
        if (o.disable && o.enable)
          throw new ValidationError([{ path: '--disable', message: 'cannot be combined with --enable' }]);
        const user = await services().users.findByEmail(o.email);
        const updated = await services().users.update(
          user.id,
          {
            ...(o.role ? { role: o.role as UserRole } : {}),
            ...(o.site || o.removeSite || o.clearSites ? { siteIds: assignedSites(user.siteIds, o) } : {}),
            ...(o.disable ? { disabled: true } : o.enable ? { disabled: false } : {}),
          },
          CLI_ACTOR,
        );
        printJson(io, updated);
      },
    );

  program
    .command('users:reset-password')
    .description(
      'Set a new password, read from standard input; signs the account out everywhere and revokes its API tokens',
    )
    .requiredOption('--email <email>', 'sign-in email')
    .action(async (o: { email: string }) => {
      const password = await passwordFromStdin(io);
      const user = await services().users.findByEmail(o.email);
      await services().users.resetPassword(user.id, password, CLI_ACTOR);
      io.out(`Password changed for ${user.email}; its sessions were ended and its API tokens revoked.\n`);
    });
}

export function registerTokenCommands(program: Command, services: () => Services, io: CliIo): void {
  program
    .command('tokens:create')
    .description('Create an API token for an account (Authorization: Bearer); prints it once')
    .requiredOption('--email <email>', "the account's email")
    .option('--name <name>', 'what the token is for', 'API token')
    .action(async (o: { email: string; name: string }) => {
      const user = await services().users.findByEmail(o.email);
      const { token, apiToken } = await services().tokens.create(user.id, o.name, CLI_ACTOR);
      printJson(io, { ...apiToken, token });
      io.err('Keep the token now: it is not shown again (revoke it with tokens:revoke).\n');
    });

  program
    .command('tokens:list')
    .description("List an account's API tokens (names and prefixes, never the tokens)")
    .requiredOption('--email <email>', "the account's email")
    .action(async (o: { email: string }) => {
      const user = await services().users.findByEmail(o.email);
      printJson(io, await services().tokens.list(user.id));
    });

  program
    .command('tokens:revoke')
    .description('Revoke an API token')
    .requiredOption('--id <id>', 'token id')
    .action(async (o: { id: string }) => {
      const token = await services().tokens.revoke(o.id, CLI_ACTOR);
      io.out(`Revoked ${token.id} (${token.name}).\n`);
    });
}

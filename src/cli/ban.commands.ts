import type { Command } from 'commander';
import { describeImpact } from '../bans/ban.service.ts';
import { CLI_ACTOR } from '../domain/actor.ts';
import { type CliIo, printJson, type Services } from './command-context.ts';

interface BanOptions {
  site: string;
  kind: string;
  value: string;
  reason?: string;
  expires?: string;
  rejectHeld?: boolean;
  yes?: boolean;
  allowWebmail?: boolean;
}

export function registerBanCommands(program: Command, services: () => Services, io: CliIo): void {
  program
    .command('bans:create')
    .description(
      'Ban an email, an email domain (and its subdomains) or an IP or range on a site; a domain or IP ban needs --yes (run without it to see what it would hit)',
    )
    .requiredOption('--site <id>', 'site id')
    .requiredOption('--kind <kind>', 'email | domain | ip')
    .requiredOption('--value <value>', 'the email, domain, or IP address or CIDR range')
    .option('--reason <text>', 'why, for moderators')
    .option('--expires <iso>', 'until this ISO date-time (default: until lifted)')
    .option('--reject-held', "also reject the held comments the ban matches, in the ban's transaction")
    .option('--yes', 'confirm a domain or IP ban')
    .option('--allow-webmail', 'ban a webmail domain (gmail.com, …) anyway')
    .action(async (o: BanOptions) => {
      const input = {
        siteId: o.site,
        kind: o.kind,
        value: o.value,
        ...(o.reason ? { reason: o.reason } : {}),
        ...(o.expires ? { expiresAt: o.expires } : {}),
        rejectHeld: o.rejectHeld ?? false,
        confirm: o.yes ?? false,
        allowWebmail: o.allowWebmail ?? false,
      };
      const { ban, rejected } = await services().bans.createAsOperator(CLI_ACTOR, input);
      printJson(io, { ban, rejected });
    });

  program
    .command('bans:preview')
    .description('How many authors and comments a ban would hit on a site (nothing is written)')
    .requiredOption('--site <id>', 'site id')
    .requiredOption('--kind <kind>', 'email | domain | ip')
    .requiredOption('--value <value>', 'the email, domain, or IP address or CIDR range')
    .action(async (o: Pick<BanOptions, 'site' | 'kind' | 'value'>) => {
      const p = await services().bans.previewAsOperator({ siteId: o.site, kind: o.kind, value: o.value });
      io.out(
        `A ${p.kind} ban of ${p.value} on ${p.siteId} would hit ${describeImpact(p)}.${p.webmail ? ' It is a webmail domain (--allow-webmail).' : ''}${p.existing ? ` It is already banned (ban ${p.existing.id}, by ${p.existing.createdBy}): bans:create would be refused.` : ''}\n`,
      );
    });
}

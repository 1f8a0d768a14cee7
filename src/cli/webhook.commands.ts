import type { Command } from 'commander';
import { CLI_ACTOR } from '../domain/actor.ts';
import { type CliIo, printJson, type Services } from './command-context.ts';

const eventList = (v: string) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

export function registerWebhookCommands(program: Command, services: () => Services, io: CliIo): void {
  program
    .command('webhooks:create')
    .description('Add a webhook endpoint to a site; prints its id and signing secret (shown once)')
    .requiredOption('--site <id>', 'site id')
    .requiredOption('--url <url>', 'where to POST events')
    .option(
      '--events <list>',
      'comma-separated event types (default: all), e.g. comment.approved,comment.deleted',
      eventList,
    )
    .option('--personal-data', "include the author's email, IP and user agent in payloads")
    .option('--description <text>', 'a note for operators')
    .action(
      async (o: { site: string; url: string; events?: string[]; personalData?: boolean; description?: string }) => {
        const { endpoint, secret } = await services().admin.createWebhook(CLI_ACTOR, o.site, {
          url: o.url,
          ...(o.events ? { events: o.events } : {}),
          includePersonalData: o.personalData ?? false,
          ...(o.description ? { description: o.description } : {}),
        });
        printJson(io, { ...endpoint, secret });
        io.err('Keep the secret now: it is not shown again (rotate it with webhooks:rotate-secret).\n');
      },
    );

  program
    .command('webhooks:list')
    .description("List a site's webhook endpoints")
    .requiredOption('--site <id>', 'site id')
    .action(async (o: { site: string }) => printJson(io, await services().webhooks.list(o.site)));

  program
    .command('webhooks:update')
    .description('Change an endpoint: URL, events, enabled, personal data')
    .requiredOption('--id <id>', 'endpoint id')
    .option('--url <url>', 'new URL')
    .option('--events <list>', 'comma-separated event types (empty for all)', eventList)
    .option('--enable', 'enable (also clears its failure record)')
    .option('--disable', 'disable')
    .option('--personal-data', 'include personal data')
    .option('--no-personal-data', 'do not include personal data')
    .action(
      async (o: {
        id: string;
        url?: string;
        events?: string[];
        enable?: boolean;
        disable?: boolean;
        personalData?: boolean;
      }) => {
        const endpoint = await services().admin.updateWebhook(CLI_ACTOR, o.id, {
          ...(o.url ? { url: o.url } : {}),
          ...(o.events ? { events: o.events } : {}),
          ...(o.enable ? { enabled: true } : o.disable ? { enabled: false } : {}),
          ...(o.personalData !== undefined ? { includePersonalData: o.personalData } : {}),
        });
        printJson(io, endpoint);
      },
    );

  program
    .command('webhooks:rotate-secret')
    .description('Issue a new signing secret; the old one keeps signing during the grace period')
    .requiredOption('--id <id>', 'endpoint id')
    .option('--grace-hours <n>', 'hours during which both secrets sign (default 24, 0 for none)', '24')
    .action(async (o: { id: string; graceHours: string }) => {
      const { endpoint, secret } = await services().admin.rotateWebhookSecret(CLI_ACTOR, o.id, Number(o.graceHours));
      printJson(io, { ...endpoint, secret });
    });

  program
    .command('webhooks:delete')
    .description('Remove an endpoint and its delivery log')
    .requiredOption('--id <id>', 'endpoint id')
    .action(async (o: { id: string }) => {
      await services().admin.deleteWebhook(CLI_ACTOR, o.id);
      io.out(`Deleted ${o.id}\n`);
    });

  program
    .command('webhooks:deliveries')
    .description("An endpoint's recent deliveries with every attempt (status, duration, response excerpt, error)")
    .requiredOption('--id <id>', 'endpoint id')
    .option('--limit <n>', 'how many deliveries (default 50)', '50')
    .action(async (o: { id: string; limit: string }) =>
      printJson(io, await services().webhooks.deliveries(o.id, Number(o.limit) || 50)),
    );

  program
    .command('webhooks:redeliver')
    .description('Send a delivery again (same event id)')
    .requiredOption('--delivery <id>', 'delivery id')
    .action(async (o: { delivery: string }) => printJson(io, await services().admin.redeliver(CLI_ACTOR, o.delivery)));
}

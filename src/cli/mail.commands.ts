// Mail from the terminal: an address's subscriptions (list, remove) and a test mail through the
// configured transport, sent now so the operator sees at once whether SMTP works.
import type { Command } from 'commander';
import { sendTestMail } from '../mail/test-mail.ts';
import { type CliIo, printJson, type Services } from './command-context.ts';

export function registerMailCommands(program: Command, services: () => Services, io: CliIo): void {
  program
    .command('subscriptions:list')
    .description("List an address's reply and thread subscriptions (every site, or one)")
    .requiredOption('--email <address>', 'the reader address')
    .option('--site <id>', 'only this site')
    .action(async (o: { email: string; site?: string }) =>
      printJson(io, await services().subscriptions.listOfAddress(o.email, o.site)),
    );

  program
    .command('subscriptions:remove')
    .description("Remove an address's subscriptions (every site, or one); prints how many went")
    .requiredOption('--email <address>', 'the reader address')
    .option('--site <id>', 'only this site')
    .action(async (o: { email: string; site?: string }) =>
      printJson(io, { removed: await services().subscriptions.removeOfAddress(o.email, o.site) }),
    );

  program
    .command('alerts:set')
    .description('How often a moderator gets mail about newly held comments of a site')
    .requiredOption('--email <address>', "the moderator's account")
    .requiredOption('--site <id>', 'site id')
    .requiredOption('--frequency <f>', 'immediate, hourly, daily or off')
    .action(async (o: { email: string; site: string; frequency: string }) => {
      await services().alerts.setFrequency(o.email, o.site, o.frequency);
      printJson(io, await services().alerts.list(o.email));
    });

  program
    .command('alerts:list')
    .description("A moderator's alert settings")
    .requiredOption('--email <address>', "the moderator's account")
    .action(async (o: { email: string }) => printJson(io, await services().alerts.list(o.email)));

  program
    .command('mail:test')
    .description('Send a test mail through the configured transport (SMTP, or kept for the dashboard Mail page)')
    .requiredOption('--to <address>', 'the recipient')
    .action(async (o: { to: string }) => {
      const sent = await sendTestMail(services().mailer.transport, o.to, { baseUrl: services().baseUrl });
      printJson(io, { sent: true, transport: services().mailer.transport.kind, messageId: sent.messageId });
    });
}

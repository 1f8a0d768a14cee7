import type { Command } from 'commander';
import { CLI_ACTOR } from '../domain/actor.ts';
import type { SpamStats } from '../spam-learning/spam-training.service.ts';
import { type CliIo, printJson, type Services } from './command-context.ts';

const percent = (n: number | null) => (n === null ? 'n/a' : `${(n * 100).toFixed(1)} %`);

function printStats(io: CliIo, s: SpamStats, json: boolean): void {
  if (json) {
    printJson(io, s);
    return;
  }
  const r = s.recent;
  io.out(
    [
      `site ${s.siteId}: ${s.spamDecisions + s.hamDecisions} decisions learned (${s.spamDecisions} spam, ${s.hamDecisions} approved), ${s.tokens} tokens`,
      `last ${r.decisions} decisions, ${r.scored} scored when posted, held at ${r.threshold}: precision ${percent(r.precision)}, recall ${percent(r.recall)}`,
      '',
    ].join('\n'),
  );
}

export function registerSpamCommands(program: Command, services: () => Services, io: CliIo): void {
  program
    .command('spam:stats')
    .description('The learned spam model of a site: decisions learned, precision and recall on its recent decisions')
    .requiredOption('--site <id>', 'site id')
    .option('--json', 'print JSON')
    .action(async (o: { site: string; json?: boolean }) => {
      printStats(io, await services().spamAdmin.stats(o.site), o.json ?? false);
    });

  program
    .command('spam:retrain')
    .description("Rebuild a site's learned spam model from its moderation log")
    .requiredOption('--site <id>', 'site id')
    .option('--json', 'print JSON')
    .action(async (o: { site: string; json?: boolean }) => {
      printStats(io, await services().spamAdmin.retrain(CLI_ACTOR, o.site), o.json ?? false);
    });

  program
    .command('spam:reset')
    .description("Forget what a site's learned spam model learned (new decisions teach it again)")
    .requiredOption('--site <id>', 'site id')
    .option('--json', 'print JSON')
    .action(async (o: { site: string; json?: boolean }) => {
      printStats(io, await services().spamAdmin.reset(CLI_ACTOR, o.site), o.json ?? false);
    });
}

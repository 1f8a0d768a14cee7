import type { Command } from 'commander';
import { CLI_ACTOR } from '../domain/actor.ts';
import type { CommentStatus } from '../domain/comment-status.ts';
import { ValidationError } from '../shared/errors.ts';
import { type CliIo, printJson, type Services } from './command-context.ts';

export function registerCommentCommands(program: Command, services: () => Services, io: CliIo): void {
  program
    .command('comments:show')
    .description('Show a comment with its status, reasons (with matched words) and moderation log')
    .requiredOption('--id <id>', 'comment id')
    .action(async (o: { id: string }) => {
      printJson(io, await services().moderation.show(o.id));
    });

  program
    .command('comments:set-status')
    .description("Set a comment's status (approve, hold, reject, mark as spam)")
    .requiredOption('--id <id>', 'comment id')
    .requiredOption('--status <status>', 'approved | pending | rejected | spam')
    .option('--reason <text>', 'why, for the moderation log')
    .option(
      '--expected-status <status>',
      'change only if the comment still has this status (else nothing changes and it says who changed it)',
    )
    .option('--expect <status>', 'same as --expected-status')
    .action(async (o: { id: string; status: string; reason?: string; expectedStatus?: string; expect?: string }) => {
      const comment = await services().moderation.setStatus(
        o.id,
        o.status as CommentStatus,
        CLI_ACTOR,
        o.reason ?? null,
        (o.expectedStatus ?? o.expect) as CommentStatus | undefined,
      );
      printJson(io, { id: comment.id, status: comment.status });
    });

  program
    .command('comments:undo')
    .description(
      'Undo the last decision on a comment: it goes back to the status it had before (logged as an undo), only while it still has the status that decision set',
    )
    .requiredOption('--id <id>', 'comment id')
    .option('--expected-status <status>', 'the status the decision being undone set (required unless --force)')
    .option('--expect <status>', 'same as --expected-status')
    .option(
      '--force',
      'undo whatever the last decision was (its status is read first; still refused if it changes meanwhile)',
    )
    .option('--reason <text>', 'why, for the moderation log')
    .action(async (o: { id: string; expectedStatus?: string; expect?: string; force?: boolean; reason?: string }) => {
      let expected = (o.expectedStatus ?? o.expect) as CommentStatus | undefined;
      if (!expected && o.force) expected = (await services().moderation.show(o.id)).comment.status;
      if (!expected)
        throw new ValidationError(
          [{ path: 'expected-status', message: 'is required to undo (or pass --force)' }],
          '--expected-status is required: the status the decision being undone set (or pass --force).',
        );
      const comment = await services().moderation.undoAsOperator(o.id, CLI_ACTOR, o.reason ?? null, expected);
      printJson(io, { id: comment.id, status: comment.status });
    });
}

export function registerErasureCommands(program: Command, services: () => Services, io: CliIo): void {
  program
    .command('comments:delete')
    .description("Delete a comment at its author's request: text and personal data blanked, replies keep their place")
    .requiredOption('--id <id>', 'comment id')
    .option('--reason <text>', 'why, for the moderation log')
    .action(async (o: { id: string; reason?: string }) => {
      const c = await services().erasure.eraseComment(CLI_ACTOR, o.id, o.reason ?? null);
      printJson(io, { id: c.id, status: c.status });
    });

  program
    .command('authors:erase')
    .description(
      'Erasure request: delete every comment an author (by email) wrote on a site, and what the site keeps about them',
    )
    .requiredOption('--site <id>', 'site id')
    .requiredOption('--email <email>', "the author's email")
    .action(async (o: { site: string; email: string }) => {
      const n = await services().erasure.eraseAuthor(CLI_ACTOR, o.site, o.email);
      io.out(`Erased ${n} comment${n === 1 ? '' : 's'}.\n`);
    });

  program
    .command('authors:export')
    .description('Everything stored about an author (by email) on a site, as JSON (an access request)')
    .requiredOption('--site <id>', 'site id')
    .requiredOption('--email <email>', "the author's email")
    .action(async (o: { site: string; email: string }) => {
      printJson(io, await services().readers.exportAuthor(CLI_ACTOR, o.site, o.email));
    });
}

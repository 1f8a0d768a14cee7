// The operator CLI as a function of the services: the same code runs in `npm run cli` and, in embedded
// mode while the server holds the data directory, inside the server (see src/cli/forward.ts).
import { Command, CommanderError } from 'commander';
import { AppError } from '../shared/errors.ts';
import { registerArticleCommands } from './article.commands.ts';
import { registerBanCommands } from './ban.commands.ts';
import type { CliIo, Services } from './command-context.ts';
import { registerCommentCommands, registerErasureCommands } from './comment.commands.ts';
import { registerMailCommands } from './mail.commands.ts';
import { registerSiteCommands } from './site.commands.ts';
import { registerSpamCommands } from './spam.commands.ts';
import { registerExportCommands, registerTransferCommands } from './transfer.commands.ts';
import { registerTokenCommands, registerUserCommands } from './user.commands.ts';
import { registerWebhookCommands } from './webhook.commands.ts';

/** Thrown by the offline pass when the command line names a command that would run (it needs the services). */
class ServicesNeeded extends Error {}

/**
 * The services are opened in commander's preAction hook, that is only once a command is about to run: help,
 * unknown commands and missing options are answered before it, so they never open a database.
 */
function buildProgram(open: () => Promise<Services>, io: CliIo): Command {
  let services: Services | undefined;
  const opened = () => {
    if (!services) throw new Error('the services are opened before a command runs');
    return services;
  };
  const program = new Command('cli')
    .description('Operate the comment service: sites, comments, users, tokens, webhooks.')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .hook('preAction', async () => {
      services ??= await open();
    });
  registerSiteCommands(program, opened, io);
  registerArticleCommands(program, opened, io);
  registerCommentCommands(program, opened, io);
  registerBanCommands(program, opened, io);
  registerErasureCommands(program, opened, io);
  registerWebhookCommands(program, opened, io);
  registerUserCommands(program, opened, io);
  registerTokenCommands(program, opened, io);
  registerTransferCommands(program, opened, io);
  registerExportCommands(program, opened, io);
  registerSpamCommands(program, opened, io);
  registerMailCommands(program, opened, io);
  // Subcommands inherit output and exit handling.
  for (const cmd of program.commands)
    cmd.exitOverride().configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
  return program;
}

async function run(argv: string[], open: () => Promise<Services>, io: CliIo): Promise<number> {
  const program = buildProgram(open, io);
  if (argv.length === 0) {
    program.outputHelp();
    return 0;
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof ServicesNeeded) throw err;
    if (err instanceof CommanderError) return err.exitCode;
    if (err instanceof AppError) {
      const fields = err.extra.errors?.map((e) => `\n  ${e.path}: ${e.message}`).join('') ?? '';
      io.err(`error: ${err.message}${fields}\n`);
      return 1;
    }
    io.err(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

/** Runs one command line; returns the exit code. Errors print as one clear line, never a stack trace. */
export function runCli(argv: string[], services: Services, io: CliIo): Promise<number> {
  return run(argv, async () => services, io);
}

/**
 * Answers what needs no services (help, an unknown command, a usage error) and returns its exit code, or null
 * when the command line would run a command: then nothing has been printed and the caller opens the stores.
 */
export async function answerOffline(argv: string[], io: CliIo): Promise<number | null> {
  try {
    return await run(
      argv,
      async () => {
        throw new ServicesNeeded();
      },
      io,
    );
  } catch (err) {
    if (err instanceof ServicesNeeded) return null;
    throw err;
  }
}

// The operator CLI as a function of the services: the same code runs in `npm run cli` and, in embedded
// mode while the server holds the data directory, inside the server (see src/cli/forward.ts).
import { Command, CommanderError } from 'commander';
import { AppError } from '../shared/errors.ts';
import type { CliIo, Services } from './command-context.ts';
import { registerCommentCommands, registerErasureCommands } from './comment.commands.ts';
import { registerMailCommands } from './mail.commands.ts';
import { registerSiteCommands } from './site.commands.ts';
import { registerTokenCommands, registerUserCommands } from './user.commands.ts';
import { registerWebhookCommands } from './webhook.commands.ts';

function buildProgram(services: Services, io: CliIo): Command {
  const program = new Command('cli')
    .description('Operate the comment service: sites, comments, users, tokens, webhooks.')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
  registerSiteCommands(program, services, io);
  registerCommentCommands(program, services, io);
  registerErasureCommands(program, services, io);
  registerWebhookCommands(program, services, io);
  registerUserCommands(program, services, io);
  registerTokenCommands(program, services, io);
  registerMailCommands(program, services, io);
  // Subcommands inherit output and exit handling.
  for (const cmd of program.commands)
    cmd.exitOverride().configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
  return program;
}

/** Runs one command line; returns the exit code. Errors print as one clear line, never a stack trace. */
export async function runCli(argv: string[], services: Services, io: CliIo): Promise<number> {
  const program = buildProgram(services, io);
  if (argv.length === 0) {
    program.outputHelp();
    return 0;
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
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

// `import` and `export`: moving a site's comments in from another system (or a backup) and out.
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { CLI_ACTOR } from '../domain/actor.ts';
import { IMPORT_FORMATS, type ImportFormat } from '../imports/import.types.ts';
import { createProgress } from '../imports/progress.ts';
import { parseRemapRules, type RemapRule } from '../imports/remap.ts';
import { ValidationError } from '../shared/errors.ts';
import type { ImportReport } from '../transfer/import.service.ts';
import { type CliIo, collect, printJson, type Services } from './command-context.ts';

/** A --remap value is a rules file when one exists at that path, else the rules themselves. */
async function remapRules(values: string[]): Promise<RemapRule[]> {
  const texts = await Promise.all(
    values.map((v) => (v.includes(' => ') ? Promise.resolve(v) : readFile(v, 'utf8').catch(() => v))),
  );
  return parseRemapRules(texts.join('\n'));
}

function summary(r: ImportReport): string {
  const verb = r.dryRun ? 'Would import' : 'Imported';
  const statuses = Object.entries(r.comments.byStatus)
    .map(([s, n]) => `${n} ${s}`)
    .join(', ');
  const skipped = Object.entries(r.skipped)
    .map(([s, n]) => `${n} ${s}`)
    .join(', ');
  return (
    `${verb} ${r.comments.imported} comments${statuses ? ` (${statuses})` : ''} into ${r.articles.created} new and ` +
    `${r.articles.existing} existing articles; ${r.comments.existing} already there` +
    `${r.orphans ? `; ${r.orphans} replies without their parent placed at the top level` : ''}` +
    `${skipped ? `; skipped ${skipped}` : ''}.\n`
  );
}

export function registerTransferCommands(program: Command, services: Services, io: CliIo): void {
  program
    .command('import')
    .description('Import comments from WordPress (wxr), Disqus, Isso, Remark42 or our own export (jsonl)')
    .requiredOption('--site <id>', 'site id')
    .requiredOption('--format <format>', IMPORT_FORMATS.join(' | '))
    .argument('<file>', 'the export file (gzipped or not; Isso: its SQLite database)')
    .option('--dry-run', 'read and check everything, report what would be imported, write nothing')
    .option('--remap <rules>', 'URL rules "old => new" (or a file of them, one a line); repeatable', collect, [])
    .option('--include-pingbacks', 'import pingbacks and trackbacks too')
    .option('--json', 'print the report as JSON')
    .action(
      async (
        file: string,
        o: {
          site: string;
          format: string;
          dryRun?: boolean;
          remap: string[];
          includePingbacks?: boolean;
          json?: boolean;
        },
      ) => {
        if (!(IMPORT_FORMATS as readonly string[]).includes(o.format)) {
          throw new ValidationError([{ path: 'format', message: `must be one of ${IMPORT_FORMATS.join(', ')}` }]);
        }
        const progress = createProgress(io.progress ?? { write: () => {} });
        const report = await services.imports.run(o.site, o.format as ImportFormat, file, {
          dryRun: !!o.dryRun,
          remap: await remapRules(o.remap),
          includePingbacks: !!o.includePingbacks,
          actor: CLI_ACTOR,
          onProgress: (p) => progress.update(p.comments, p.bytes, p.totalBytes),
        });
        progress.finish();
        if (o.json) printJson(io, report);
        else io.out(summary(report));
      },
    );
}

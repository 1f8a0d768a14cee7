// `import` and `export`: moving a site's comments in from another system (or a backup) and out.

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { CLI_ACTOR } from '../domain/actor.ts';
import { IMPORT_FORMATS, type ImportFormat } from '../imports/import.types.ts';
import { createProgress } from '../imports/progress.ts';
import { parseRemapRules, type RemapRule } from '../imports/remap.ts';
import { writeChunks } from '../imports/stream-out.ts';
import { ValidationError } from '../shared/errors.ts';
import { EXPORT_FORMATS, type ExportFormat } from '../transfer/export.service.ts';
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

export function registerTransferCommands(program: Command, services: () => Services, io: CliIo): void {
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
        const report = await services().importJobs.runHere(CLI_ACTOR, o.site, o.format as ImportFormat, file, {
          dryRun: !!o.dryRun,
          remap: await remapRules(o.remap),
          includePingbacks: !!o.includePingbacks,
          onProgress: (p) => progress.update(p.comments, p.bytes, p.totalBytes),
        });
        progress.finish();
        if (o.json) printJson(io, report);
        else io.out(summary(report));
      },
    );
}

/** Writes to standard output as fast as it drains, without ending it; else through io.out (forwarded, tests). */
async function toOutput(io: CliIo, chunks: AsyncIterable<string>): Promise<void> {
  const stdout = io.stdout;
  for await (const chunk of chunks) {
    if (!stdout) io.out(chunk);
    else if (!stdout.write(chunk)) await once(stdout, 'drain');
  }
}

export function registerExportCommands(program: Command, services: () => Services, io: CliIo): void {
  program
    .command('export')
    .description("Export a site's articles and comments: jsonl (ours, restores everything) or wxr (WordPress)")
    .requiredOption('--site <id>', 'site id')
    .option('--format <format>', EXPORT_FORMATS.join(' | '), 'jsonl')
    .option('--article <id>', 'only this article')
    .option('--output <file>', 'write to this file instead of standard output')
    .action(async (o: { site: string; format: string; article?: string; output?: string }) => {
      if (!(EXPORT_FORMATS as readonly string[]).includes(o.format)) {
        throw new ValidationError([{ path: 'format', message: `must be one of ${EXPORT_FORMATS.join(', ')}` }]);
      }
      const exported = await services().exports.open(o.site, {
        format: o.format as ExportFormat,
        ...(o.article !== undefined ? { articleId: o.article } : {}),
      });
      if (o.output) await writeChunks(exported.chunks, createWriteStream(o.output));
      else await toOutput(io, exported.chunks);
    });
}

// Reads the text corpora in tests/fixtures: one entry per line, "# " comments and blank lines skipped,
// \u{…} escapes for characters that are hard to see or type.
import { readFileSync } from 'node:fs';
import path from 'node:path';

const fixtures = path.resolve(import.meta.dirname, '../fixtures');

export function readCorpus(relativePath: string): string[] {
  return readFileSync(path.join(fixtures, relativePath), 'utf8')
    .split('\n')
    .map((line) => line.replace(/\r$/, ''))
    .filter((line) => line.trim() !== '' && !line.startsWith('# '))
    .map((line) =>
      line.replace(/\\u\{([0-9a-fA-F]{1,6})\}/g, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16))),
    );
}

/** Comments separated by lines holding only "---" (they span several lines). */
export function readComments(relativePath: string): string[] {
  return readFileSync(path.join(fixtures, relativePath), 'utf8')
    .split(/^---$/m)
    .map((block) =>
      block
        .split('\n')
        .filter((l) => !l.startsWith('# '))
        .join('\n')
        .trim(),
    )
    .filter(Boolean);
}

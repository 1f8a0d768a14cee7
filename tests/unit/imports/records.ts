// Helpers for the import tests: collect a parser's records, build expected records field by field.
import { fileURLToPath } from 'node:url';
import type { ImportedArticle, ImportedComment, ImportRecord } from '../../../src/imports/import.types.ts';

export function fixture(name: string): string {
  return fileURLToPath(new URL(`../../fixtures/imports/${name}`, import.meta.url));
}

export async function collect(records: AsyncIterable<ImportRecord>): Promise<ImportRecord[]> {
  const out: ImportRecord[] = [];
  for await (const r of records) out.push(r);
  return out;
}

/** The error a parse ends with (the test fails if it ends without one). */
export async function failure(records: AsyncIterable<unknown>): Promise<Error & { line?: number | null }> {
  try {
    for await (const _ of records) {
      // drain
    }
  } catch (err) {
    return err as Error & { line?: number | null };
  }
  throw new Error('expected the parse to fail, and it succeeded');
}

/** A full comment record: every field not given is its "absent" value. */
export function comment(
  fields: Partial<ImportedComment> & Pick<ImportedComment, 'sourceId' | 'articleKey' | 'body' | 'createdAt'>,
): ImportedComment {
  return {
    type: 'comment',
    parentSourceId: null,
    name: '',
    email: null,
    url: null,
    ip: null,
    userAgent: null,
    authorKey: null,
    status: 'approved',
    sourceStatus: '1',
    kind: 'comment',
    line: null,
    ...fields,
  };
}

export function article(fields: Partial<ImportedArticle> & Pick<ImportedArticle, 'sourceKey'>): ImportedArticle {
  return {
    type: 'article',
    identifier: null,
    url: null,
    title: null,
    createdAt: null,
    closed: null,
    closedAt: null,
    line: null,
    ...fields,
  };
}

export const at = (iso: string) => new Date(iso);

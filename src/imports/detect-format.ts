// Recognises an export from its first bytes, so a file given with the wrong --format gets a
// message that says what it is instead of a bare parse error.
import type { ImportFormat } from './import.types.ts';

const NAMES: Record<ImportFormat, string> = {
  wxr: 'a WordPress export (WXR)',
  disqus: 'a Disqus export',
  isso: 'an Isso SQLite database',
  remark42: 'a Remark42 backup',
  jsonl: 'one of our own JSON lines exports',
};

export function formatName(format: ImportFormat): string {
  return NAMES[format];
}

/** The format the first bytes (after any gzip) belong to, or null when they match none. */
export function detectFormat(head: Uint8Array): ImportFormat | null {
  const text = Buffer.from(head.subarray(0, 4096))
    .toString('utf8')
    .replace(/^\uFEFF/, '');
  if (text.startsWith('SQLite format 3\u0000')) return 'isso';
  const start = text.trimStart();
  if (start.startsWith('{')) {
    if (/^\{\s*"format"\s*:\s*"comments-export"/.test(start)) return 'jsonl';
    if (/"version"\s*:/.test(start) && /"(users|posts)"\s*:/.test(start)) return 'remark42';
    return null;
  }
  if (start.startsWith('<')) {
    if (/<rss[\s>]/.test(start) && /wordpress\.org\/export\//.test(start)) return 'wxr';
    if (/<disqus[\s>]/.test(start)) return 'disqus';
  }
  return null;
}

/** A short note for error messages: what the file seems to be, and the option that reads it. */
export function formatHint(head: Uint8Array): string {
  const format = detectFormat(head);
  if (format) return `it looks like ${NAMES[format]} (--format ${format})`;
  const start = Buffer.from(head.subarray(0, 256)).toString('utf8').trimStart();
  if (start.startsWith('{') || start.startsWith('[')) return 'it looks like JSON';
  if (/^<!doctype html|^<html/i.test(start)) return 'it looks like an HTML page';
  return '';
}

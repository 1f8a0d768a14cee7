// Errors that stop an import: the file is unreadable, hostile or not what it claims to be.
// They are typed application errors (422, or 413 for size), so an upload through the admin API
// answers with a problem document naming the line, and the CLI prints the same message.
import { PayloadTooLargeError, UnprocessableError } from '../shared/errors.ts';

export interface FilePosition {
  line: number | null;
  column?: number | null;
}

function where(pos: FilePosition): string {
  if (pos.line === null) return '';
  return pos.column ? ` (line ${pos.line}, column ${pos.column})` : ` (line ${pos.line})`;
}

/** The file cannot be imported; `line` (1-based) says where, when known. */
export class ImportFileError extends UnprocessableError {
  readonly line: number | null;
  readonly column: number | null;
  constructor(message: string, pos: FilePosition = { line: null }, code = 'import_file_invalid') {
    super(`${message}${where(pos)}`, { code });
    this.line = pos.line;
    this.column = pos.column ?? null;
  }
}

/** The file, or one of its parts, is larger than the importer accepts. */
export class ImportTooLargeError extends PayloadTooLargeError {
  readonly line: number | null;
  constructor(message: string, pos: FilePosition = { line: null }) {
    super(`${message}${where(pos)}`, { code: 'import_too_large' });
    this.line = pos.line;
  }
}

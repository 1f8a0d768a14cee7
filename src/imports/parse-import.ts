// One entry point for the importer: the format's streaming parser, by name.
import type { ImportInput, SourceOptions } from './byte-source.ts';
import { parseDisqus } from './disqus.parser.ts';
import type { ImportFormat, ImportRecord } from './import.types.ts';
import { parseIsso } from './isso.parser.ts';
import { parseJsonl } from './jsonl.parser.ts';
import { parseRemark42 } from './remark42.parser.ts';
import { parseWxr } from './wxr.parser.ts';
import type { XmlLimits } from './xml-stream.ts';

export interface ParseOptions extends SourceOptions {
  /** WXR: post types whose comments are imported (default post and page). */
  postTypes?: readonly string[];
  /** XML: stricter or looser limits than the defaults. */
  limits?: Partial<XmlLimits>;
}

/**
 * Records of `input` in `format`, streamed: the source record first, then articles, comments and
 * skip notes in file order. Throws ImportFileError (with the line) or ImportTooLargeError.
 */
export function parseImport(
  format: ImportFormat,
  input: ImportInput,
  options: ParseOptions = {},
): AsyncGenerator<ImportRecord> {
  switch (format) {
    case 'wxr':
      return parseWxr(input, options);
    case 'disqus':
      return parseDisqus(input, options);
    case 'isso':
      return parseIsso(input, options);
    case 'remark42':
      return parseRemark42(input, options);
    case 'jsonl':
      return parseJsonl(input, options);
  }
}

// Percent-encoding in a public URL must decode to UTF-8. Hono's decoding keeps a malformed sequence as
// it is, so `/articles/%FF/comments` and `/articles/%25FF/comments` both named the article "%FF", and
// `?articleId=%ED%A0%80` (a lone surrogate) was counted as the text "%ED%A0%80" instead of refused.
import { ValidationError } from '../shared/errors.ts';

/** A 400 for a URL whose path or query holds a `%` sequence that is not percent-encoded UTF-8. */
export function refuseMalformedEncoding(url: string): void {
  const start = url.indexOf('/', url.indexOf('//') + 2);
  if (start < 0 || url.indexOf('%', start) < 0) return; // the common case: nothing encoded at all
  try {
    decodeURIComponent(url.slice(start).replaceAll('+', ' '));
  } catch {
    throw new ValidationError(
      [{ path: '(url)', message: 'is not valid percent-encoded UTF-8' }],
      'The URL is not valid percent-encoded UTF-8.',
    );
  }
}

// Text that staff type and others read (site names, ban and moderation reasons, webhook descriptions,
// token names, article titles): refused when it carries characters that change how the text around
// them displays without showing themselves. A right-to-left override shows "invoice\u202Egpj.exe" as
// "invoiceexe.jpg", an isolate or embedding can swallow the sentence the dashboard puts it in, and
// zero-width characters make two names that look the same differ (or a name look empty). Readers'
// comments keep them (they are shown as bidi isolates); staff labels have no need of them.
//
// Kept: a zero-width joiner inside an emoji sequence (👩‍💻), the tag characters of a flag emoji, and a
// zero-width (non-)joiner between letters of the scripts that spell with them (Persian, Indic).

/** Bidi embeddings, overrides, isolates and marks (LRM, RLM, ALM). */
const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;
/** Zero-width and other invisible characters, line/paragraph separators, Hangul fillers, tag characters. */
const INVISIBLE =
  /[\u00AD\u115F\u1160\u180E\u200B-\u200D\u2028\u2029\u2060-\u2064\u3164\uFEFF\uFFA0\u{E0000}-\u{E007F}]/u;

const EMOJI_JOINER = /(\p{Extended_Pictographic}[\uFE0F\u{1F3FB}-\u{1F3FF}]?)\u200D(?=\p{Extended_Pictographic})/gu;
const FLAG_TAGS = /\u{1F3F4}[\u{E0020}-\u{E007E}]+\u{E007F}/gu;
const SCRIPT_JOINER =
  /(?<=[\p{Script=Arabic}\p{Script=Syriac}\p{Script=Devanagari}\p{Script=Bengali}\p{Script=Gurmukhi}\p{Script=Gujarati}\p{Script=Oriya}\p{Script=Tamil}\p{Script=Telugu}\p{Script=Kannada}\p{Script=Malayalam}\p{Script=Sinhala}]\p{M}*)[\u200C\u200D](?=\p{L})/gu;

const hex = (ch: string) => `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/** Why the text cannot be shown to others as it is, or null when it can. */
export function invisibleTextProblem(value: string): string | null {
  const rest = value.replace(FLAG_TAGS, '').replace(EMOJI_JOINER, '$1').replace(SCRIPT_JOINER, '');
  const bidi = BIDI.exec(rest);
  if (bidi) return `must not contain text-direction control characters (it contains ${hex(bidi[0])})`;
  const hidden = INVISIBLE.exec(rest);
  if (hidden) return `must not contain invisible characters (it contains ${hex(hidden[0])})`;
  return null;
}

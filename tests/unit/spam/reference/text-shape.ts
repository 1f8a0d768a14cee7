// FROZEN COPY (tests only) of the text shape pass as it was before its character table (issue 16):
// the reference src/spam/text-shape.ts must match (scorer-equivalence.test.ts).
// The shape of a comment's text, as binned tokens that carry over to spam never seen before: words
// change from one campaign to the next, the layout of a sales pitch much less. One pass over the
// character codes, no regular expressions, so a 10,000-character body stays cheap:
//   "s:capslines:N"  share of lines written in capitals (%),   "s:excl:N"    exclamation marks,
//   "s:money:N"      amounts ("$5", "€ 20"),                    "s:percent:N" percentages ("75%"),
//   "s:foreign:N"    share of characters outside ASCII (%),     "s:cjk"       Chinese, Japanese or Korean text,
//   "s:html"         markup left in the text ("<b>", "&nbsp;"), "s:quote"     a quoted line ("> …"),
//   "s:rule"         a ruler of 10+ "_=*-#~" characters,        "s:run"       a character 6+ times in a row,
//   "s:lines:N"      non-empty lines,                           "s:blank:N"   empty lines between them.
// The bin bounds are round numbers chosen a priori, not fitted to the benchmark.

const CAPS_LINES = [0, 5, 15, 30, 60];
const COUNTS = [0, 1, 3, 10];
const FOREIGN = [0, 1, 5, 20];
const LINES = [0, 3, 10, 30, 100];
const BLANKS = [0, 3, 10, 30];
const FLAGS = ['cjk', 'html', 'quote', 'rule', 'run'] as const;

const binned = (name: string, bounds: readonly number[]) => bounds.map((b) => `s:${name}:${b}`);
const GROUPS = [
  binned('capslines', CAPS_LINES),
  binned('excl', COUNTS),
  binned('money', COUNTS),
  binned('percent', COUNTS),
  binned('foreign', FOREIGN),
  binned('lines', LINES),
  binned('blank', BLANKS),
];
/** Every shape label, in a fixed order: a caller computes their keys once and picks by index. */
export const SHAPE_LABELS: readonly string[] = [...GROUPS.flat(), ...FLAGS.map((f) => `s:${f}`)];
/** The index in SHAPE_LABELS of each group's first label. */
const FIRST: number[] = [];
for (let i = 0, at = 0; i < GROUPS.length; at += GROUPS[i]!.length, i++) FIRST.push(at);
const FLAG_FIRST = GROUPS.flat().length;

const bin = (value: number, bounds: readonly number[]) => {
  let at = 0;
  for (let i = 1; i < bounds.length; i++) if (value >= bounds[i]!) at = i;
  return at;
};
const isRuler = (c: number) => c === 0x5f || c === 0x3d || c === 0x2a || c === 0x2d || c === 0x23 || c === 0x7e;
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isUpper = (c: number) => c >= 0x41 && c <= 0x5a;
const isLower = (c: number) => c >= 0x61 && c <= 0x7a;
const isCjk = (c: number) =>
  (c >= 0x3040 && c <= 0x30ff) || (c >= 0x4e00 && c <= 0x9fff) || (c >= 0xac00 && c <= 0xd7af);
const isCurrency = (c: number) => c === 0x24 || c === 0x20ac || c === 0xa3 || c === 0xa5; // $ € £ ¥

/** Pushes the indices (into SHAPE_LABELS) of a body's shape tokens onto `out`; allocates nothing else. */
export function shapeOf(body: string, out: number[]): void {
  let lines = 0;
  let capsLines = 0;
  let blanks = 0;
  let excl = 0;
  let money = 0;
  let percent = 0;
  let foreign = 0;
  let cjk = false;
  let html = false;
  let quote = false;
  let rule = false;
  let run = false;
  // The current line: whether it has text, and its upper and lower case letters.
  let lineText = false;
  let lineUpper = 0;
  let lineLower = 0;
  let same = 0;
  let ruler = 0;
  let prev = -1;
  for (let i = 0; i <= body.length; i++) {
    const c = i < body.length ? body.charCodeAt(i) : 0x0a;
    same = c === prev ? same + 1 : 1;
    if (same >= 6 && c !== 0x20 && c !== 0x0a) run = true;
    ruler = isRuler(c) ? ruler + 1 : 0;
    if (ruler >= 10) rule = true;
    prev = c;
    if (c === 0x0a) {
      if (lineText) {
        lines++;
        if (lineUpper >= 3 && lineLower === 0) capsLines++;
      } else if (lines > 0 && i < body.length) blanks++;
      lineText = false;
      lineUpper = 0;
      lineLower = 0;
      continue;
    }
    if (c === 0x20 || c === 0x09 || c === 0x0d) continue;
    if (!lineText && c === 0x3e) quote = true;
    lineText = true;
    if (isUpper(c)) lineUpper++;
    else if (isLower(c)) lineLower++;
    else if (c === 0x21) excl++;
    else if (c === 0x25) {
      if (i > 0 && isDigit(body.charCodeAt(i - 1))) percent++;
    } else if (c === 0x3c) {
      const next = body.charCodeAt(i + 1);
      if (isLower(next) || isUpper(next) || next === 0x2f) html = true;
    } else if (c === 0x26) {
      if (body.startsWith('&nbsp;', i) || body.startsWith('&amp;', i)) html = true;
    } else if (isCurrency(c)) {
      const next = body.charCodeAt(i + 1) === 0x20 ? body.charCodeAt(i + 2) : body.charCodeAt(i + 1);
      if (isDigit(next)) money++;
    }
    if (c >= 0x80) {
      foreign++;
      if (!cjk && isCjk(c)) cjk = true;
    }
  }
  out.push(
    FIRST[0]! + bin(lines > 0 ? (capsLines / lines) * 100 : 0, CAPS_LINES),
    FIRST[1]! + bin(excl, COUNTS),
    FIRST[2]! + bin(money, COUNTS),
    FIRST[3]! + bin(percent, COUNTS),
    FIRST[4]! + bin(body.length > 0 ? (foreign / body.length) * 100 : 0, FOREIGN),
    FIRST[5]! + bin(lines, LINES),
    FIRST[6]! + bin(blanks, BLANKS),
  );
  const flags = [cjk, html, quote, rule, run];
  for (let k = 0; k < flags.length; k++) if (flags[k]) out.push(FLAG_FIRST + k);
}

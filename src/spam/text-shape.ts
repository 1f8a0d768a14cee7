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

const bin = (value: number, bounds: readonly number[]) => {
  let at = bounds[0]!;
  for (const b of bounds) if (value >= b) at = b;
  return at;
};
const CAPS_LINES = [0, 5, 15, 30, 60];
const COUNTS = [0, 1, 3, 10];
const FOREIGN = [0, 1, 5, 20];
const LINES = [0, 3, 10, 30, 100];
const BLANKS = [0, 3, 10, 30];

const RULER = new Set([0x5f, 0x3d, 0x2a, 0x2d, 0x23, 0x7e]); // _ = * - # ~
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isUpper = (c: number) => c >= 0x41 && c <= 0x5a;
const isLower = (c: number) => c >= 0x61 && c <= 0x7a;
const isCjk = (c: number) =>
  (c >= 0x3040 && c <= 0x30ff) || (c >= 0x4e00 && c <= 0x9fff) || (c >= 0xac00 && c <= 0xd7af);
const CURRENCY = new Set([0x24, 0x20ac, 0xa3, 0xa5]); // $ € £ ¥

/** The shape tokens of a body, each a label of the fixed set above. */
export function shapeLabels(body: string): string[] {
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
  // The current line: whether it has text, upper and lower case letters.
  let lineText = false;
  let lineUpper = 0;
  let lineLower = 0;
  let lineStart = true;
  let same = 0;
  let ruler = 0;
  let prev = -1;
  const endLine = () => {
    if (lineText) {
      lines++;
      if (lineUpper >= 3 && lineLower === 0) capsLines++;
    } else if (lines > 0) blanks++;
    lineText = false;
    lineUpper = 0;
    lineLower = 0;
    lineStart = true;
  };
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    same = c === prev ? same + 1 : 1;
    if (same >= 6 && c !== 0x20 && c !== 0x0a) run = true;
    ruler = RULER.has(c) ? ruler + 1 : 0;
    if (ruler >= 10) rule = true;
    prev = c;
    if (c === 0x0a) {
      endLine();
      continue;
    }
    if (c === 0x20 || c === 0x09 || c === 0x0d) continue;
    if (lineStart && c === 0x3e) quote = true;
    lineStart = false;
    lineText = true;
    if (isUpper(c)) lineUpper++;
    else if (isLower(c)) lineLower++;
    else if (c === 0x21) excl++;
    else if (c === 0x25 && i > 0 && isDigit(body.charCodeAt(i - 1))) percent++;
    else if (CURRENCY.has(c)) {
      const next = body.charCodeAt(i + 1) === 0x20 ? body.charCodeAt(i + 2) : body.charCodeAt(i + 1);
      if (isDigit(next)) money++;
    } else if (c === 0x3c) {
      const next = body.charCodeAt(i + 1);
      if (isLower(next) || isUpper(next) || next === 0x2f) html = true;
    } else if (c === 0x26 && (body.startsWith('&nbsp;', i) || body.startsWith('&amp;', i))) html = true;
    if (c >= 0x80) {
      foreign++;
      if (!cjk && isCjk(c)) cjk = true;
    }
  }
  endLine();
  const out = [
    `s:capslines:${bin(lines > 0 ? (capsLines / lines) * 100 : 0, CAPS_LINES)}`,
    `s:excl:${bin(excl, COUNTS)}`,
    `s:money:${bin(money, COUNTS)}`,
    `s:percent:${bin(percent, COUNTS)}`,
    `s:foreign:${bin(body.length > 0 ? (foreign / body.length) * 100 : 0, FOREIGN)}`,
    `s:lines:${bin(lines, LINES)}`,
    `s:blank:${bin(blanks, BLANKS)}`,
  ];
  if (cjk) out.push('s:cjk');
  if (html) out.push('s:html');
  if (quote) out.push('s:quote');
  if (rule) out.push('s:rule');
  if (run) out.push('s:run');
  return out;
}

// Text that is safe inside an XML 1.0 document we write.

// Characters XML 1.0 forbids anywhere, even escaped: C0 controls other than tab, newline and
// carriage return, lone surrogates, U+FFFE and U+FFFF.
const FORBIDDEN =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

export function xmlSafe(value: string): string {
  return value.replace(FORBIDDEN, '');
}

/** Element text or attribute value: forbidden characters dropped, & < > " escaped. */
export function xmlText(value: string): string {
  return xmlSafe(value).replace(/[&<>"]/g, (ch) => XML_ESCAPES[ch]!);
}

/** A CDATA section holding `value` exactly: "]]>" is split across two sections. */
export function cdata(value: string): string {
  return `<![CDATA[${xmlSafe(value).replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}

/** HTML-escaped text, as WordPress stores comment text and author names. */
export function htmlEscape(value: string): string {
  return value.replace(/[&<>]/g, (ch) => XML_ESCAPES[ch]!);
}

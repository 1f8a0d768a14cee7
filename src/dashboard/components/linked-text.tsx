// Plain text with its web addresses as links: the text stays text (JSX escapes it), and only http(s)
// URLs become hrefs, so a mail's `javascript:` or markup can never run here.
const URL_IN_TEXT = /https?:\/\/[^\s<>"']+/g;
// A sentence's full stop or closing bracket after a URL belongs to the sentence, not the link.
const TRAILING = /[.,;:!?)\]]+$/;

export function LinkedText(props: { text: string }) {
  const parts: (string | { url: string })[] = [];
  let last = 0;
  for (const m of props.text.matchAll(URL_IN_TEXT)) {
    const url = m[0].replace(TRAILING, '');
    parts.push(props.text.slice(last, m.index), { url });
    last = m.index + url.length;
  }
  parts.push(props.text.slice(last));
  return (
    <>
      {parts.map((p) =>
        typeof p === 'string' ? (
          p
        ) : (
          <a href={p.url} rel="noreferrer">
            {p.url}
          </a>
        ),
      )}
    </>
  );
}

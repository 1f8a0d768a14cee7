// The HTML part, from the same description as the text part. Hono's JSX escapes every text child and
// attribute value, so reader text (names, comment bodies, article titles) always lands as text.
// Styles are inline: many mail clients drop <style> blocks.
import type { MailBlock, MailContent } from './mail-template.ts';

const FONT = 'font-family:-apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,Helvetica,Arial,sans-serif';
const STYLE = {
  body: `margin:0;padding:24px 12px;background:#f6f7f9;color:#1f2328;${FONT};font-size:16px;line-height:1.5`,
  card: 'max-width:560px;margin:0 auto;background:#ffffff;border:1px solid #d8dee4;border-radius:8px;padding:24px',
  site: 'margin:0 0 8px;color:#59636e;font-size:14px',
  heading: 'margin:0 0 16px;font-size:20px;line-height:1.3',
  paragraph: 'margin:0 0 16px',
  quote: 'margin:0 0 16px;padding:8px 12px;border-left:3px solid #d8dee4;color:#31373d',
  button:
    'display:inline-block;padding:10px 18px;background:#0b57d0;color:#ffffff;text-decoration:none;border-radius:6px;font-weight:600',
  link: 'color:#0b57d0',
  footer: 'max-width:560px;margin:16px auto 0;color:#59636e;font-size:13px',
};

/** Line breaks in text become <br>: the text itself is still escaped by JSX. */
function Lines(props: { text: string }) {
  const lines = props.text.split('\n');
  return (
    <>
      {lines.map((line, i) => (
        <>
          {i > 0 ? <br /> : null}
          {line}
        </>
      ))}
    </>
  );
}

function Block(props: { block: MailBlock }) {
  const b = props.block;
  switch (b.type) {
    case 'paragraph':
      return (
        <p style={STYLE.paragraph}>
          <Lines text={b.text} />
        </p>
      );
    case 'quote':
      return (
        <>
          {b.attribution ? <p style={STYLE.paragraph}>{b.attribution}:</p> : null}
          <blockquote style={STYLE.quote}>
            <Lines text={b.text} />
          </blockquote>
        </>
      );
    case 'action':
      return (
        <p style={STYLE.paragraph}>
          <a href={b.url} style={STYLE.button}>
            {b.label}
          </a>
        </p>
      );
    case 'link':
      return (
        <p style={STYLE.paragraph}>
          <a href={b.url} style={STYLE.link}>
            {b.label}
          </a>
        </p>
      );
  }
}

export function renderHtml(content: MailContent, subject: string): string {
  const page = (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{subject}</title>
      </head>
      <body style={STYLE.body}>
        <div style={STYLE.card}>
          <p style={STYLE.site}>{content.siteName}</p>
          <h1 style={STYLE.heading}>{content.heading}</h1>
          {content.blocks.map((block) => (
            <Block block={block} />
          ))}
        </div>
        {content.footer ? (
          <div style={STYLE.footer}>
            <p style={STYLE.paragraph}>{content.footer.reason}</p>
            <p style={STYLE.paragraph}>
              {content.footer.links.map((l, i) => (
                <>
                  {i > 0 ? ' · ' : null}
                  <a href={l.url} style={STYLE.link}>
                    {l.label}
                  </a>
                </>
              ))}
            </p>
          </div>
        ) : null}
      </body>
    </html>
  );
  return `<!doctype html>${page.toString()}`;
}

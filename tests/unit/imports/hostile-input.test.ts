// Hostile and broken files: refused with a clear message naming the line, without expanding,
// fetching or buffering anything unbounded.
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDisqus } from '../../../src/imports/disqus.parser.ts';
import { ImportFileError, ImportTooLargeError } from '../../../src/imports/import.errors.ts';
import { parseJsonl } from '../../../src/imports/jsonl.parser.ts';
import { parseWxr } from '../../../src/imports/wxr.parser.ts';
import { collect, failure, fixture } from './records.ts';

const NS = 'xmlns:wp="http://wordpress.org/export/1.2/"';
const wxr = (doctype: string, body = '') =>
  Buffer.from(`<?xml version="1.0"?>\n${doctype}\n<rss ${NS}><channel>${body}</channel></rss>\n`);

let dir: string;
let server: Server;
let requests = 0;
let origin: string;
const SECRET = 'TOP-SECRET-FILE-CONTENT';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hostile-'));
  await writeFile(join(dir, 'secret.txt'), SECRET);
  server = createServer((_req, res) => {
    requests++;
    res.end('<!ENTITY leak "LEAKED">');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

/** A stream that yields `head`, then `filler` forever, counting the chunks taken. */
function endless(head: string, filler: string) {
  const counter = { chunks: 0 };
  const chunk = Buffer.from(filler.repeat(Math.ceil(65536 / filler.length)));
  const stream = Readable.from(
    (function* () {
      yield Buffer.from(head);
      for (;;) {
        counter.chunks++;
        yield chunk;
      }
    })(),
  );
  return { stream, counter };
}

describe('entities', () => {
  const laughs = [
    '<!DOCTYPE rss [',
    '<!ENTITY lol "lol">',
    ...Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`),
    ']>',
  ].join('\n');

  it('refuses billion laughs before any expansion, naming the line', async () => {
    const err = await failure(parseWxr(wxr(laughs, '<title>&lol9;</title>')));
    expect(err).toBeInstanceOf(ImportFileError);
    expect(err.message).toMatch(
      /^The XML has a DOCTYPE with entity declarations or an external DTD; such files are refused \(line 13,/,
    );
    expect(err.line).toBe(13);
    const disqus = await failure(parseDisqus(Buffer.from(`${laughs}\n<disqus>&lol9;</disqus>`)));
    expect(disqus.message).toMatch(/^The XML has a DOCTYPE with entity declarations/);
  });

  it('never resolves external entities or DTDs: no file read, no request made', async () => {
    const doctypes = [
      `<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://${join(dir, 'secret.txt')}">]>`,
      `<!DOCTYPE rss [<!ENTITY xxe SYSTEM "${origin}/entity">]>`,
      `<!DOCTYPE rss [<!ENTITY % remote SYSTEM "${origin}/param.dtd"> %remote;]>`,
      `<!DOCTYPE rss SYSTEM "${origin}/external.dtd">`,
      `<!DOCTYPE rss PUBLIC "-//EVIL//DTD//EN" "${origin}/public.dtd">`,
    ];
    for (const doctype of doctypes) {
      const err = await failure(parseWxr(wxr(doctype, '<title>&xxe;</title>')));
      expect(err).toBeInstanceOf(ImportFileError);
      expect(err.message).toMatch(/^The XML has a DOCTYPE with entity declarations or an external DTD/);
      expect(err.message).not.toContain(SECRET);
    }
    expect(requests).toBe(0);
  });

  it('refuses entity declarations outside a DOCTYPE too', async () => {
    const err = await failure(parseWxr(Buffer.from(`<rss ${NS}>\n<!ENTITY lol SYSTEM><channel/></rss>`)));
    expect(err.message).toMatch(/^The XML has an SGML declaration \(<!…>\) outside a DOCTYPE; refused \(line 2,/);
    // sax reads a quoted one to the end of the file: refused all the same, as incomplete.
    const quoted = await failure(parseWxr(Buffer.from(`<rss ${NS}>\n<!ENTITY lol "lol"><channel/></rss>`)));
    expect(quoted).toBeInstanceOf(ImportFileError);
  });

  it('treats an undeclared entity as an error, not as text to expand', async () => {
    const err = await failure(parseWxr(wxr('', '\n<title>&xxe;</title>')));
    expect(err.message).toMatch(/^An unknown entity is referenced .* \(line 4,/);
  });

  it('accepts a bare DOCTYPE, which declares nothing', async () => {
    const records = await collect(parseWxr(wxr('<!DOCTYPE rss>', '<title>Fine</title>')));
    expect(records).toEqual([
      { type: 'source', format: 'wxr', version: '1.2', title: 'Fine', url: null, siteId: null },
    ]);
  });
});

describe('size and shape limits, without buffering', () => {
  it('stops deep nesting at 64 levels', async () => {
    const deep = `<rss ${NS}>\n${'<a>'.repeat(100_000)}${'</a>'.repeat(100_000)}</rss>`;
    const err = await failure(parseWxr(Buffer.from(deep)));
    expect(err).toBeInstanceOf(ImportFileError);
    expect(err.message).toMatch(/^The XML nests deeper than 64 elements \(line 2,/);
  });

  it('refuses a comment body over the limit after reading about the limit, not the whole node', async () => {
    const head = `<rss ${NS}><channel><item><wp:post_id>1</wp:post_id>\n<wp:comment><wp:comment_content>`;
    const { stream, counter } = endless(head, 'spam ');
    const err = await failure(parseWxr(stream));
    expect(err).toBeInstanceOf(ImportTooLargeError);
    expect(err.message).toMatch(/^<wp:comment_content> is longer than 1048576 characters \(line 2,/);
    // 1 MiB of text is 16 chunks of 64 KiB; the parser stops right after, never reading on.
    expect(counter.chunks).toBeLessThan(20);
  });

  it('honours a smaller field limit', async () => {
    const body = `<item><wp:post_id>1</wp:post_id><wp:comment><wp:comment_content>${'x'.repeat(5000)}</wp:comment_content></wp:comment></item>`;
    const err = await failure(parseWxr(wxr('', body), { limits: { maxFieldChars: 4096 } }));
    expect(err.message).toMatch(/^<wp:comment_content> is longer than 4096 characters/);
  });

  it('streams past huge text nobody reads (a post body), keeping what matters', async () => {
    const body = `<item><content:encoded>${'<p>long post</p>'.repeat(400_000)}</content:encoded><wp:post_id>5</wp:post_id>
<wp:comment><wp:comment_id>1</wp:comment_id><wp:comment_date_gmt>2020-01-01 00:00:00</wp:comment_date_gmt>
<wp:comment_content>ok</wp:comment_content><wp:comment_approved>1</wp:comment_approved></wp:comment></item>`;
    const records = await collect(parseWxr(wxr('', body)));
    expect(records.map((r) => r.type)).toEqual(['source', 'article', 'comment']);
  });

  for (const [what, head, filler] of [
    ['attribute value', `<rss ${NS} x="`, 'a'],
    ['tag name', `<rss ${NS}><`, 'a'],
    ['XML comment', `<rss ${NS}><!--`, 'a'],
    ['DOCTYPE', '<!DOCTYPE rss [<!-- ', 'a'],
    ['processing instruction', `<rss ${NS}><?pi `, 'a'],
  ] as const) {
    it(`refuses an endless ${what} after 64 KiB`, async () => {
      const { stream, counter } = endless(head, filler);
      const err = await failure(parseWxr(stream));
      expect(err).toBeInstanceOf(ImportTooLargeError);
      expect(err.message).toMatch(/^One XML token is longer than the 64 KiB allowed outside text \(line 1,/);
      expect(counter.chunks).toBeLessThan(5);
    });
  }

  it('refuses an element with too many attributes', async () => {
    const attrs = Array.from({ length: 1000 }, (_, i) => `a${i}="1"`).join(' ');
    const err = await failure(parseWxr(Buffer.from(`<rss ${NS} ${attrs}></rss>`)));
    expect(err.message).toMatch(/^An element has more than 64 attributes/);
  });

  it('refuses an endless JSON line after the line limit', async () => {
    const { stream, counter } = endless('{"format":"comments-export","version":1}\n{"type":"comment","body":"', 'a');
    const err = await failure(parseJsonl(stream, { maxLineBytes: 1024 * 1024 }));
    expect(err).toBeInstanceOf(ImportTooLargeError);
    expect(err.message).toBe('A line is longer than 1048576 bytes (line 2)');
    expect(counter.chunks).toBeLessThan(20);
  });
});

describe('broken files', () => {
  it('reports a truncated file with the line where it stops', async () => {
    const text = readFileSync(fixture('wordpress-1.2.wxr.xml'), 'utf8');
    const cut = text.slice(0, text.indexOf('Trashed by a moderator.'));
    const seen: string[] = [];
    const err = await failure(
      (async function* () {
        for await (const r of parseWxr(Buffer.from(cut))) {
          seen.push(r.type);
          yield r;
        }
      })(),
    );
    expect(err).toBeInstanceOf(ImportFileError);
    expect(err.message).toMatch(
      /^The XML ends before it is complete: is the file truncated\? \(line 134, column 32\)$/,
    );
    // What came before the cut was yielded; the importer's transaction decides what to keep.
    expect(seen).toEqual(['source', 'article', 'comment', 'comment', 'comment', 'comment']);
  });

  it('reports mismatched tags, garbage, an empty file, an HTML page and broken gzip', async () => {
    const cases: Array<[Buffer, RegExp]> = [
      [Buffer.from(`<rss ${NS}>\n<channel>\n<item></channel></rss>`), /^A closing tag does not match .* \(line 3,/],
      [Buffer.from([0x00, 0xff, 0x13, 0x37, 0x42]), /^This is not an XML file \(line 1,/],
      [Buffer.from(''), /^The file is empty or holds no XML element \(line 1\)$/],
      [Buffer.from('   \n  \n'), /^The file is empty or holds no XML element \(line 3\)$/],
      [
        Buffer.from('<!doctype html><html><body>Login</body></html>'),
        /^This is not a WordPress export \(WXR\): its root element is <html>/,
      ],
      [
        gzipSync(readFileSync(fixture('wordpress-1.2.wxr.xml'))).subarray(0, 300),
        /^The gzip data is truncated or corrupt/,
      ],
    ];
    for (const [bytes, message] of cases) {
      const err = await failure(parseWxr(bytes));
      expect(err).toBeInstanceOf(ImportFileError);
      expect(err.message).toMatch(message);
    }
  });

  it('reads other declared encodings and survives invalid UTF-8', async () => {
    const latin1 = Buffer.concat([
      Buffer.from(`<?xml version="1.0" encoding="ISO-8859-1"?>\n<rss ${NS}><channel><title>Caf`),
      Buffer.from([0xe9]),
      Buffer.from('</title></channel></rss>'),
    ]);
    expect((await collect(parseWxr(latin1)))[0]).toMatchObject({ title: 'Café' });
    const utf16 = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from(`<rss ${NS}><channel><title>Zoë</title></channel></rss>`, 'utf16le'),
    ]);
    expect((await collect(parseWxr(utf16)))[0]).toMatchObject({ title: 'Zoë' });
    const broken = Buffer.concat([
      Buffer.from(`<rss ${NS}><channel><title>A`),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('B</title></channel></rss>'),
    ]);
    expect((await collect(parseWxr(broken)))[0]).toMatchObject({ title: 'A\uFFFD(B' });
    const unknown = await failure(parseWxr(Buffer.from(`<?xml version="1.0" encoding="x-klingon"?><rss/>`)));
    expect(unknown.message).toBe('The XML declares an encoding this importer does not know: x-klingon (line 1)');
  });
});

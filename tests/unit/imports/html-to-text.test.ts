import { describe, expect, it } from 'vitest';
import { htmlLine, htmlToText } from '../../../src/imports/html-to-text.ts';

describe('HTML to our plain text', () => {
  const collapse = (html: string) => htmlToText(html, 'collapse');
  const preserve = (html: string) => htmlToText(html, 'preserve');

  it('decodes entities, named and numeric', () => {
    expect(collapse('Tom &amp; Jerry &eacute;t&eacute; &#x1F600; &#8230; &lt;b&gt;')).toBe('Tom & Jerry été 😀 … <b>');
  });

  it('turns <br> into a line break and blocks into lines and paragraphs', () => {
    expect(collapse('<p>One<br>two</p><p>Three</p><div>four</div><div>five</div>')).toBe(
      'One\ntwo\n\nThree\n\nfour\nfive',
    );
    expect(collapse('<h2>Title</h2>text<hr>after')).toBe('Title\n\ntext\n\nafter');
  });

  it('collapses HTML whitespace, except in <pre>', () => {
    expect(collapse('<p>  a\n   b\t c  </p>\n\n<p>d</p>')).toBe('a b c\n\nd');
    expect(collapse('<pre>  x\n    y</pre>')).toBe('x\n    y');
  });

  it('keeps the newlines WordPress comments were typed with', () => {
    expect(preserve('line one\nline two\n\npara <em>two</em>')).toBe('line one\nline two\n\npara two');
    expect(preserve('a\r\nb')).toBe('a\nb');
    expect(preserve('<p>a</p>\n<p>b</p>\n\n\n\nc')).toBe('a\n\nb\n\nc');
  });

  it('writes links as text URLs: "label (url)", or the URL when the label is the URL', () => {
    expect(collapse('See <a href="https://example.org/a">the report</a>.')).toBe(
      'See the report (https://example.org/a).',
    );
    expect(collapse('<a href="https://example.org/a">https://example.org/a</a>')).toBe('https://example.org/a');
    expect(collapse('<a href="https://www.example.org/">example.org</a>')).toBe('https://www.example.org/');
    expect(collapse('<a href="https://example.org/a/very/long/path">example.org/a/very/lo...</a>')).toBe(
      'https://example.org/a/very/long/path',
    );
    expect(collapse('x <a href="https://example.org/"></a> y')).toBe('x https://example.org/ y');
  });

  it('drops dangerous or relative link targets, keeping the label', () => {
    expect(collapse('<a href="javascript:alert(1)">click</a>')).toBe('click');
    expect(collapse('<a href="data:text/html,x">data</a> <a href="/relative">rel</a> <a>none</a>')).toBe(
      'data rel none',
    );
  });

  it('drops scripts and styles with their content; images become their alt text or URL', () => {
    expect(collapse('a<script>alert("x")</script><style>p{}</style>b')).toBe('ab');
    expect(
      collapse(
        '<img src="https://i.example/x.png" alt="a chart"> <img src="https://i.example/y.png"> <img src="javascript:x">',
      ),
    ).toBe('a chart https://i.example/y.png');
  });

  it('quotes blockquotes and marks list items', () => {
    expect(collapse('<blockquote><p>quoted</p><p>more</p></blockquote><p>reply</p>')).toBe(
      '> quoted\n\n> more\n\nreply',
    );
    expect(collapse('<ul><li>one</li><li>two</li></ul><ol><li>first</li><li>second</li></ol>')).toBe(
      '- one\n- two\n\n1. first\n2. second',
    );
    expect(preserve('<ul>\n<li>one</li>\n<li>two</li>\n</ul>')).toBe('- one\n- two');
  });

  it('survives malformed HTML and leaves stray angle brackets as text', () => {
    expect(collapse('<p>unclosed <b>bold <i>italic</p>after')).toBe('unclosed bold italic\n\nafter');
    expect(collapse('1 < 2 and 3 > 2 <-- arrow')).toBe('1 < 2 and 3 > 2 <-- arrow');
  });

  it('removes control characters and mends lone surrogates', () => {
    expect(preserve('a\u0000b\u0007c\u009fd\uD800e')).toBe('abcd\uFFFDe');
  });

  it('keeps unicode as written: emoji, RTL, combining marks', () => {
    const text = 'أتفق معك 👍🏽 — e\u0301 ‏עברית‎';
    expect(collapse(`<p>${text}</p>`)).toBe(text);
  });

  it('decodes one-line fields the source stored escaped, and nothing more', () => {
    expect(htmlLine('Grace &lt;Hopper&gt; &amp; co')).toBe('Grace <Hopper> & co');
    expect(htmlLine('  two\n lines  ')).toBe('two lines');
    expect(htmlLine('<b>tags stay</b>')).toBe('<b>tags stay</b>');
    expect(htmlLine(null)).toBe('');
  });
});

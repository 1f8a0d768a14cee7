// Tiny DOM helpers. Text always goes in as text nodes: user data is never parsed as HTML here.

type Attrs = Record<string, string | number | boolean | null | undefined | ((e: Event) => void)>;
type Child = Node | string | null | undefined | false;

/** Creates an element: `on…` attributes become listeners, true is an empty attribute, null/false are left out. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs?: Attrs | null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const name in attrs) {
    const value = attrs[name];
    if (typeof value === 'function') el.addEventListener(name.slice(2), value);
    else if (value != null && value !== false) el.setAttribute(name, value === true ? '' : String(value));
  }
  el.append(...(children.filter((c) => c) as (Node | string)[]));
  return el;
}

/**
 * The API's `html` is the body escaped server-side with only <p>, <br> and safe links added. It is
 * parsed in an inert <template> (no scripts run, no images load) and rebuilt from that allow-list
 * anyway, so a bug on the server can never turn into script on a publisher's page.
 */
export function bodyFragment(html: string): DocumentFragment {
  const template = document.createElement('template');
  template.innerHTML = html;
  const out = document.createDocumentFragment();
  const copy = (from: Node, to: Node): void =>
    from.childNodes.forEach((node) => {
      if (node.nodeType === Node.TEXT_NODE) return void to.appendChild(document.createTextNode(node.textContent ?? ''));
      if (node.nodeType !== Node.ELEMENT_NODE) return;
      const el = node as Element;
      const href = el.getAttribute('href') ?? '';
      if (el.tagName === 'P' || el.tagName === 'BR') copy(el, to.appendChild(document.createElement(el.tagName)));
      else if (el.tagName === 'A' && /^https?:\/\//i.test(href))
        copy(el, to.appendChild(h('a', { href, rel: 'nofollow ugc noopener', target: '_blank' })));
      else copy(el, to); // anything else: its text only
    });
  copy(template.content, out);
  return out;
}

/** localStorage that never throws (private modes, sandboxed frames, full quota): the widget works without it. */
export function stored<T>(key: string): T | null {
  try {
    return JSON.parse(localStorage.getItem(key) ?? 'null') as T | null;
  } catch {
    return null;
  }
}

export function store(key: string, value: unknown): void {
  try {
    if (value == null) localStorage.removeItem(key);
    else localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // storage unavailable: nothing to remember
  }
}

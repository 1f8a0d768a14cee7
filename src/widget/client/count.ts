// count.js: fills every <… data-comment-count="article-id" data-site="site"> with the article's published
// count, in one request per site (100 articles per request, the API's limit).
const script = document.currentScript as HTMLScriptElement | null;
const base = new URL(script?.src || location.href).origin;

function fill() {
  const bySite = new Map<string, Map<string, HTMLElement[]>>();
  document.querySelectorAll<HTMLElement>('[data-comment-count]').forEach((el) => {
    const site = el.dataset.site || script?.dataset.site;
    const article = el.dataset.commentCount;
    if (!site || !article) return;
    const articles = bySite.get(site) ?? bySite.set(site, new Map()).get(site)!;
    articles.set(article, [...(articles.get(article) ?? []), el]);
  });
  bySite.forEach((articles, site) => {
    const ids = [...articles.keys()];
    for (let i = 0; i < ids.length; i += 100) {
      const query = ids
        .slice(i, i + 100)
        .map((id) => `articleId=${encodeURIComponent(id)}`)
        .join('&');
      fetch(`${base}/api/v1/sites/${encodeURIComponent(site)}/counts?${query}`)
        .then((res) => (res.ok ? (res.json() as Promise<{ counts: Record<string, number> }>) : null))
        .then((answer) => {
          for (const [id, n] of Object.entries(answer?.counts ?? {})) {
            for (const el of articles.get(id) ?? [])
              el.textContent =
                el.dataset.countFormat === 'number' ? String(n) : n === 1 ? '1 comment' : `${n} comments`;
          }
        })
        .catch(() => {}); // the page keeps whatever text it had
    }
  });
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', fill);
else fill();

// Keyboard shortcuts and live updates for the review queue. Everything here is an enhancement: every
// action is also a plain form post that works without JavaScript. Served as a file because the
// dashboard's Content-Security-Policy allows no inline script.
(() => {
  const list = document.getElementById('queue');
  if (!list) return;

  const csrf = document.querySelector('meta[name="csrf-token"]')?.getAttribute('content') ?? '';
  const live = document.getElementById('live');
  const help = document.getElementById('help');
  const isDetail = list.dataset.detail === 'true';
  const PAST = { approve: 'Approved', reject: 'Rejected', spam: 'Marked as spam', restore: 'Restored' };
  const KEYS = { a: 'approve', r: 'reject', s: 'spam', u: 'restore' };

  let current = null;
  let chain = Promise.resolve();

  const cards = () => Array.from(list.querySelectorAll('.card:not([hidden])'));
  const checkbox = (card) => card.querySelector('input[name="ids"]');
  const selected = () => cards().filter((c) => checkbox(c)?.checked);

  function announce(text, isError = false) {
    if (!live) return;
    live.setAttribute('role', isError ? 'alert' : 'status');
    live.textContent = '';
    // A fresh text node each time, so screen readers read repeats too.
    setTimeout(() => (live.textContent = text), 30);
  }

  function setCurrent(card, focus = true) {
    current?.classList.remove('is-current');
    current = card ?? null;
    if (!current) return;
    current.classList.add('is-current');
    if (focus) {
      current.focus({ preventScroll: true });
      current.scrollIntoView({ block: 'nearest' });
    }
  }

  function move(delta) {
    const all = cards();
    if (all.length === 0) return;
    const i = current ? all.indexOf(current) : -1;
    setCurrent(all[Math.min(all.length - 1, Math.max(0, i + delta))] ?? all[0]);
  }

  function updateCounts(counts) {
    if (!counts) return;
    for (const el of document.querySelectorAll('[data-count]')) {
      const n = counts[el.dataset.count];
      if (typeof n === 'number') el.textContent = String(n);
    }
  }

  function showEmptyIfNeeded() {
    let empty = document.getElementById('queue-empty');
    if (cards().length > 0) {
      empty?.remove();
      return;
    }
    if (!empty && !isDetail) {
      empty = document.createElement('p');
      empty.id = 'queue-empty';
      empty.className = 'empty';
      empty.textContent = 'All done here. New comments appear on their own.';
      list.before(empty);
    }
  }

  async function send(action, ids) {
    const reason = (document.getElementById('bulk-reason') ?? document.getElementById('act-reason'))?.value.trim();
    const single = ids.length === 1;
    const res = await fetch(
      single
        ? `/api/v1/moderation/comments/${encodeURIComponent(ids[0])}/${action}`
        : '/api/v1/moderation/comments/bulk',
      {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': csrf },
        body: JSON.stringify(single ? (reason ? { reason } : {}) : { ids, action, ...(reason ? { reason } : {}) }),
      },
    );
    if (res.status === 401) {
      location.href = `/dashboard/login?next=${encodeURIComponent(location.pathname + location.search)}`;
      return false;
    }
    if (!res.ok) {
      const problem = await res.json().catch(() => null);
      announce(problem?.detail ?? `That did not work (HTTP ${res.status}).`, true);
      return false;
    }
    return true;
  }

  /** Acts on the selection, or on the highlighted comment; moves on at once and sends in order. */
  function act(action) {
    const targets = selected().length > 0 ? selected() : current ? [current] : [];
    if (targets.length === 0) return;
    if (targets.some((c) => !c.querySelector(`button[data-action="${action}"]`))) {
      announce(
        `A ${targets[0].dataset.status} comment cannot be ${action === 'spam' ? 'marked as spam' : `${action}d`} from here.`,
        true,
      );
      return;
    }
    const ids = targets.map((c) => c.dataset.id);
    const all = cards();
    const after = all.slice(all.indexOf(targets.at(-1)) + 1).find((c) => !targets.includes(c));
    const before = all
      .slice(0, all.indexOf(targets[0]))
      .reverse()
      .find((c) => !targets.includes(c));
    for (const c of targets) {
      c.hidden = true;
      const box = checkbox(c);
      if (box) box.checked = false;
    }
    if (!isDetail) setCurrent(after ?? before ?? null);
    showEmptyIfNeeded();
    chain = chain.then(async () => {
      const ok = await send(action, ids);
      if (!ok) {
        for (const c of targets) c.hidden = false;
        showEmptyIfNeeded();
        return;
      }
      if (isDetail) return location.reload();
      for (const c of targets) c.remove();
      announce(`${PAST[action]} ${ids.length} comment${ids.length === 1 ? '' : 's'}.`);
      await poll();
    });
  }

  function toggleAll() {
    const all = cards();
    const on = !all.every((c) => checkbox(c)?.checked);
    for (const c of all) if (checkbox(c)) checkbox(c).checked = on;
    const master = document.getElementById('select-all');
    if (master) master.checked = on;
    announce(on ? `${all.length} selected.` : 'Nothing selected.');
  }

  // Live updates: comments newer than the newest on screen arrive as server-rendered cards.
  const pollUrl = list.dataset.poll;
  const pollMs = Number(list.dataset.pollMs) || 5000;
  let after = list.dataset.after;
  async function poll() {
    if (!pollUrl) return;
    try {
      const res = await fetch(`${pollUrl}&after=${encodeURIComponent(after ?? '')}`, {
        headers: { accept: 'application/json' },
        credentials: 'same-origin',
      });
      if (!res.ok) return;
      const data = await res.json();
      updateCounts(data.counts);
      const template = document.createElement('template');
      template.innerHTML = data.html ?? '';
      const fresh = Array.from(template.content.querySelectorAll('.card')).filter(
        (c) => !document.getElementById(c.id),
      );
      for (const card of fresh.reverse()) {
        card.classList.add('is-new');
        list.prepend(card);
      }
      if (data.after) after = data.after;
      if (fresh.length > 0) {
        showEmptyIfNeeded();
        if (!current) setCurrent(cards()[0], false);
        announce(`${fresh.length} new comment${fresh.length === 1 ? '' : 's'} in the queue.`);
      }
    } catch {
      // Offline for a moment: the next round tries again.
    }
  }
  if (pollUrl) {
    setInterval(() => {
      if (document.visibilityState === 'visible') void poll();
    }, pollMs);
  }

  const typing = (el) =>
    el instanceof HTMLElement &&
    (el.isContentEditable || el.matches('textarea, select, input:not([type="checkbox"]):not([type="radio"])'));

  document.addEventListener('keydown', (e) => {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
    if (typing(e.target)) {
      if (e.key === 'Escape') e.target.blur();
      return;
    }
    if (help?.open) return;
    const onCardOrPage =
      e.target === document.body || e.target === current || e.target === list || e.target?.id === 'main';
    if (KEYS[e.key]) act(KEYS[e.key]);
    else if (e.key === 'j') move(1);
    else if (e.key === 'k') move(-1);
    else if (e.key === 'x' && current && checkbox(current)) checkbox(current).checked = !checkbox(current).checked;
    else if (e.key === '*' && !isDetail) toggleAll();
    else if ((e.key === 'o' || (e.key === 'Enter' && onCardOrPage)) && current && !isDetail)
      location.href = `/dashboard/comments/${current.dataset.id}`;
    else if (e.key === '?' && help) help.showModal();
    else return;
    e.preventDefault();
  });

  list.addEventListener('click', (e) => {
    const card = e.target instanceof Element ? e.target.closest('.card') : null;
    if (card) setCurrent(card, false);
  });
  list.addEventListener('focusin', (e) => {
    const card = e.target instanceof Element ? e.target.closest('.card') : null;
    if (card && card !== current) setCurrent(card, false);
  });
  document.getElementById('select-all')?.addEventListener('change', (e) => {
    for (const c of cards()) if (checkbox(c)) checkbox(c).checked = e.target.checked;
  });

  setCurrent(cards()[0], false);
})();

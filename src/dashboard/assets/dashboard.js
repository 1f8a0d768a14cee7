// Keyboard shortcuts, in-place refills, undo and live updates for the review queue. Everything here is
// an enhancement: every action is also a plain form post that works without JavaScript. Served as a
// file because the dashboard's Content-Security-Policy allows no inline script.
//
// The loop: the acted-on card leaves at once and the next one is highlighted; the request follows, in
// order; if the server refuses (the comment changed since it was shown: 409), the card comes back and
// says who changed it, with "Apply anyway" as an explicit second step. The last action can be undone
// (z, or the toast's button, for 10 s) as a decision of its own. When the cards run low the next held
// comments load in place, so "All done" is shown only when the server counts none left.
//
// With live.js (server-sent events), a card changed elsewhere gets data-remote-status and a .card-remote
// note, and 'queue:remote-change' is dispatched on document: such cards are skipped by j/k and need
// "Apply anyway" to act on; the page refills if that left it short.
(() => {
  const list = document.getElementById('queue');
  if (!list) return;

  const csrf = document.querySelector('meta[name="csrf-token"]')?.getAttribute('content') ?? '';
  const live = document.getElementById('live');
  const help = document.getElementById('help');
  const toast = document.getElementById('toast');
  const toastText = document.getElementById('toast-text');
  const undoButton = document.getElementById('undo');
  const isDetail = list.dataset.detail === 'true';
  const tab = list.dataset.status;
  const moreUrl = list.dataset.more;
  const PAST = {
    approve: 'Approved',
    reject: 'Rejected',
    spam: 'Marked as spam',
    restore: 'Restored',
    undo: 'Undid the decision on',
  };
  const KEYS = { a: 'approve', r: 'reject', s: 'spam', u: 'restore' };
  const TARGET = { approve: 'approved', reject: 'rejected', spam: 'spam' };
  const SET_TO = {
    approved: 'Approved',
    rejected: 'Rejected',
    spam: 'Marked as spam',
    pending: 'Put back in the queue',
    deleted: 'Deleted',
  };
  const LOW = 6;
  const UNDO_MS = 10_000;

  let current = null;
  let chain = Promise.resolve();
  /** The tab counts as the server last gave them (first from the page itself). */
  let counts = Object.fromEntries(
    Array.from(document.querySelectorAll('[data-count]')).map((el) => [el.dataset.count, Number(el.textContent)]),
  );
  if (!(tab in counts)) counts = null;
  let refilling = null;
  let cursor = list.dataset.cursor || null;
  let exhausted = !cursor;
  let inFlight = 0;
  /** Comments decided from this page: never brought back by a refill that raced the decision. */
  const settled = new Set();
  /** The last action, for undo: its cards (detached, with where they stood) and the statuses it set. */
  let lastAction = null;
  let undoTimer = null;

  const shown = () => Array.from(list.querySelectorAll('.card:not([hidden])'));
  /** Cards the keys move over and act on: not hidden, not changed elsewhere (live.js). */
  const cards = () => shown().filter((c) => !c.hasAttribute('data-remote-status'));
  const checkbox = (card) => card.querySelector('input[name="ids"]');
  const selected = () => cards().filter((c) => checkbox(c)?.checked);
  const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;

  function announce(text, isError = false) {
    if (!live) return;
    live.setAttribute('role', isError ? 'alert' : 'status');
    live.textContent = '';
    // A fresh text node each time, so screen readers read repeats too.
    setTimeout(() => (live.textContent = text), 30);
  }

  // The sticky bulk bar's height, for the cards' scroll margin: the highlighted card is never under it.
  const bar = document.querySelector('.bulkbar');
  function measureBar() {
    if (bar) document.documentElement.style.setProperty('--sticky-height', `${bar.offsetHeight}px`);
  }
  measureBar();
  window.addEventListener('resize', measureBar);

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
    if (all.indexOf(current) >= all.length - 2) void refill(true);
  }

  function updateCounts(next) {
    if (!next) return;
    counts = next;
    for (const el of document.querySelectorAll('[data-count]')) {
      const n = next[el.dataset.count];
      if (typeof n === 'number') el.textContent = String(n);
    }
  }

  /**
   * The empty state says what the server counted: "All done" only when no comment of this tab is left;
   * cards still on their way (or a count not yet fetched) show a waiting line instead.
   */
  function showEmptyIfNeeded() {
    if (isDetail) return;
    let empty = document.getElementById('queue-empty');
    let waiting = document.getElementById('queue-waiting');
    if (shown().length > 0) {
      empty?.remove();
      waiting?.remove();
      return;
    }
    const left = counts?.[tab];
    if (left === 0 && inFlight === 0) {
      waiting?.remove();
      if (!empty) {
        empty = document.createElement('p');
        empty.id = 'queue-empty';
        empty.className = 'empty';
        list.before(empty);
      }
      empty.dataset.empty = 'true';
      empty.textContent =
        tab === 'pending'
          ? 'All done: nothing waiting for review. New comments appear on their own.'
          : `Nothing in ${tab}.`;
      return;
    }
    empty?.remove();
    if (!waiting) {
      waiting = document.createElement('p');
      waiting.id = 'queue-waiting';
      waiting.className = 'queue-waiting';
      list.after(waiting);
    }
    waiting.textContent =
      typeof left === 'number' && inFlight === 0 && !refilling
        ? `${plural(left, `${tab} comment`)} not shown yet: loading them…`
        : 'Loading the next comments…';
  }

  /** Server-rendered cards (HTML from our own endpoints), without those on screen or decided here. */
  function cardsFrom(html) {
    const template = document.createElement('template');
    template.innerHTML = html ?? '';
    return Array.from(template.content.querySelectorAll('.card')).filter(
      (c) => !document.getElementById(c.id) && !settled.has(c.dataset.id),
    );
  }

  async function getJson(url) {
    const res = await fetch(url, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
    if (res.status === 401) {
      location.href = `/dashboard/login?next=${encodeURIComponent(location.pathname + location.search)}`;
      return null;
    }
    return res.ok ? res.json() : null;
  }

  /** One page after the cursor (or from the start); appends what is new; returns how many came. */
  async function fetchMore(fromStart) {
    const url = `${moreUrl}${!fromStart && cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const data = await getJson(url);
    if (!data) return 0;
    updateCounts(data.counts);
    const fresh = cardsFrom(data.html);
    for (const card of fresh) list.append(card);
    if (!fromStart || !cursor || exhausted) {
      const next = data.nextCursor ?? data.endCursor;
      if (next) cursor = next;
      exhausted = !data.nextCursor;
    }
    if (exhausted) document.getElementById('pager')?.remove();
    if (fresh.length > 0 && !current) setCurrent(cards()[0], false);
    return fresh.length;
  }

  /**
   * Keeps the page from running dry: when few cards are left, the next page after the last card; if that
   * brings nothing while the count says more are waiting (comments put back into this tab, or arrived
   * oldest-first before the end), the first page again.
   */
  function refill(force = false) {
    if (isDetail || !moreUrl) return Promise.resolve();
    if (refilling) return refilling;
    if (!force && cards().length >= LOW && counts !== null) return Promise.resolve();
    refilling = (async () => {
      try {
        showEmptyIfNeeded();
        let added = !exhausted || list.dataset.sort === 'oldest' ? await fetchMore(false) : 0;
        if (added === 0 && cards().length < LOW && (counts?.[tab] ?? 1) > shown().length) added = await fetchMore(true);
        // Said when the page had run dry; otherwise the cards simply continue below.
        if (added > 0 && added === shown().length) announce(`${plural(added, 'more comment')} in the queue.`);
      } catch {
        // Offline for a moment: the next action or poll tries again.
      }
    })().finally(() => {
      refilling = null;
      showEmptyIfNeeded();
    });
    return refilling;
  }

  async function send(action, ids, expected) {
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
        body: JSON.stringify(
          single
            ? { ...(reason ? { reason } : {}), expectedStatus: expected[ids[0]] }
            : { ids, action, ...(reason ? { reason } : {}), expectedStatus: expected },
        ),
      },
    );
    if (res.status === 401) {
      location.href = `/dashboard/login?next=${encodeURIComponent(location.pathname + location.search)}`;
      return { ok: false, problem: null };
    }
    const body = await res.json().catch(() => null);
    if (!res.ok) return { ok: false, problem: body, status: res.status };
    return { ok: true, comments: body?.comments ?? (body?.comment ? [body.comment] : []) };
  }

  function ago(iso) {
    const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
    if (!Number.isFinite(s)) return '';
    if (s < 90) return `${s} s ago`;
    if (s < 5400) return `${Math.round(s / 60)} min ago`;
    if (s < 172_800) return `${Math.round(s / 3600)} h ago`;
    return `${Math.round(s / 86_400)} d ago`;
  }

  function clearNote(card) {
    card.querySelector('.card-conflict')?.remove();
    delete card.dataset.conflict;
  }

  /**
   * Says on the card what happened to it meanwhile ("Rejected by b@example.com 40 s ago") and offers the
   * refused action again, now decided on what the comment is, or to leave it as the colleague left it.
   */
  function showConflict(card, action, conflict) {
    clearNote(card);
    const now = conflict.current;
    card.dataset.conflict = now;
    const note = document.createElement('div');
    note.className = 'card-conflict';
    note.setAttribute('role', 'alert');
    const text = document.createElement('span');
    text.className = 'conflict-text';
    text.textContent = `${SET_TO[now] ?? `Now ${now}`}${conflict.changedBy ? ` by ${conflict.changedBy}` : ''}${
      conflict.changedAt ? ` ${ago(conflict.changedAt)}` : ''
    }.`;
    note.append(text);
    const same = TARGET[action] === now;
    if (!same && now !== 'deleted') {
      const apply = document.createElement('button');
      apply.type = 'button';
      apply.className = `apply-anyway ${action}`;
      apply.textContent = `Apply anyway: ${action}`;
      apply.addEventListener('click', () => {
        clearNote(card);
        act(action, [card], { [card.dataset.id]: now });
      });
      note.append(apply);
    }
    const keep = document.createElement('button');
    keep.type = 'button';
    keep.className = 'keep-theirs';
    keep.textContent = same ? 'Dismiss' : 'Leave it';
    keep.addEventListener('click', () => {
      const next = neighbour(card);
      settled.add(card.dataset.id);
      card.remove();
      setCurrent(next ?? cards()[0] ?? null);
      void refill();
      showEmptyIfNeeded();
    });
    note.append(keep);
    card.append(note);
  }

  function neighbour(card) {
    const all = cards();
    const i = all.indexOf(card);
    return all.slice(i + 1).find((c) => c !== card) ?? all.slice(0, Math.max(0, i)).reverse()[0] ?? null;
  }

  function hideToast() {
    clearTimeout(undoTimer);
    if (toast) toast.hidden = true;
  }

  function offerUndo(action, entries, comments) {
    const statusById = Object.fromEntries(comments.map((c) => [c.id, c.status]));
    lastAction = { action, entries, expected: statusById, at: Date.now() };
    if (!toast || !toastText) return;
    toastText.textContent = `${PAST[action]} ${plural(entries.length, 'comment')}.`;
    toast.hidden = false;
    clearTimeout(undoTimer);
    undoTimer = setTimeout(() => {
      lastAction = null;
      hideToast();
    }, UNDO_MS);
  }

  /** Undo: back to the status before, decided on the status the action set (409 if someone changed it since). */
  function undo() {
    const last = lastAction;
    if (!last || Date.now() - last.at > UNDO_MS) {
      announce('Nothing to undo.', true);
      return;
    }
    lastAction = null;
    hideToast();
    const ids = last.entries.map((e) => e.card.dataset.id);
    chain = chain.then(async () => {
      const result = await send('undo', ids, last.expected);
      if (!result.ok) {
        announce(result.problem?.detail ?? 'The undo did not work.', true);
        return;
      }
      let first = null;
      for (const { card, next, prev } of last.entries) {
        settled.delete(card.dataset.id);
        if (document.getElementById(card.id)) continue;
        clearNote(card);
        card.hidden = false;
        const checked = checkbox(card);
        if (checked) checked.checked = false;
        if (next && next.parentNode === list) list.insertBefore(card, next);
        else if (prev && prev.parentNode === list) prev.after(card);
        else list.prepend(card);
        first ??= card;
      }
      if (!isDetail && first) setCurrent(first);
      showEmptyIfNeeded();
      announce(`Undone: ${plural(ids.length, 'comment')} back to ${tab}.`);
      if (isDetail) return location.reload();
      await poll();
    });
  }

  /**
   * Acts on the selection, or on the highlighted comment; moves on at once and sends in order.
   * `expected`: the status each card showed (its data-status), or what a conflict said it is now.
   */
  function act(action, targetsGiven, expectedGiven) {
    let targets = targetsGiven ?? (selected().length > 0 ? selected() : current ? [current] : []);
    if (targets.length === 0) return;
    if (!expectedGiven) {
      // Refused before: deciding again takes the card's explicit second step.
      const refused = targets.length === 1 && targets[0].dataset.conflict ? targets[0] : null;
      if (refused) {
        refused.querySelector('.apply-anyway, .keep-theirs')?.focus();
        announce('This comment changed since you saw it: choose "Apply anyway" or "Leave it".', true);
        return;
      }
      // Changed elsewhere (live.js) or refused: left out of a selection. One such card (its own button)
      // goes to the server with the status it showed, whose 409 says who changed it, and offers "Apply anyway".
      const stale =
        targets.length > 1 ? targets.filter((c) => c.hasAttribute('data-remote-status') || c.dataset.conflict) : [];
      if (stale.length > 0 && stale.length === targets.length) {
        announce('These comments changed since you saw them: nothing was sent.', true);
        return;
      }
      if (stale.length > 0) {
        targets = targets.filter((c) => !stale.includes(c));
        announce(`${plural(stale.length, 'comment')} changed since you saw them and were left out.`, true);
      }
      if (targets.some((c) => !c.querySelector(`button[data-action="${action}"]`))) {
        announce(
          `A ${targets[0].dataset.status} comment cannot be ${action === 'spam' ? 'marked as spam' : `${action}d`} from here.`,
          true,
        );
        return;
      }
    }
    const expected = expectedGiven ?? Object.fromEntries(targets.map((c) => [c.dataset.id, c.dataset.status]));
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
    inFlight += 1;
    showEmptyIfNeeded();
    if (cards().length < LOW) void refill(true);
    chain = chain.then(async () => {
      let result;
      try {
        result = await send(action, ids, expected);
      } catch {
        result = { ok: false, problem: { detail: 'The server could not be reached; nothing was changed.' } };
      }
      inFlight -= 1;
      if (!result.ok) {
        for (const c of targets) c.hidden = false;
        const conflicts = result.problem?.conflicts ?? [];
        for (const conflict of conflicts) {
          const card = targets.find((c) => c.dataset.id === conflict.id);
          if (card) showConflict(card, action, conflict);
        }
        const firstConflict = targets.find((c) => c.dataset.conflict);
        if (!isDetail) setCurrent(firstConflict ?? targets[0]);
        announce(result.problem?.detail ?? `That did not work (HTTP ${result.status}).`, true);
        showEmptyIfNeeded();
        return;
      }
      if (isDetail) return location.reload();
      // Where each card stood among the others, to put it back there on undo.
      const sibling = (card, step) => {
        let n = card[step];
        while (n && targets.includes(n)) n = n[step];
        return n;
      };
      const entries = targets.map((card) => ({
        card,
        next: sibling(card, 'nextElementSibling'),
        prev: sibling(card, 'previousElementSibling'),
      }));
      for (const c of targets) {
        settled.add(c.dataset.id);
        clearNote(c);
        c.remove();
      }
      announce(`${PAST[action]} ${plural(ids.length, 'comment')}.`);
      offerUndo(action, entries, result.comments);
      await poll();
      await refill();
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

  // Live updates by polling: fresh counts, and (newest first) comments newer than the newest on screen.
  const pollUrl = list.dataset.poll;
  const pollMs = Number(list.dataset.pollMs) || 5000;
  let after = list.dataset.after;
  async function poll() {
    if (!pollUrl) {
      // A page opened at a cursor: counts come with the refills instead.
      if (moreUrl && !isDetail) await refill(true);
      return;
    }
    try {
      const data = await getJson(`${pollUrl}&after=${encodeURIComponent(after ?? '')}`);
      if (!data) return;
      updateCounts(data.counts);
      const fresh = cardsFrom(data.html);
      for (const card of fresh.reverse()) {
        card.classList.add('is-new');
        list.prepend(card);
      }
      if (data.after) after = data.after;
      if (fresh.length > 0) {
        if (!current) setCurrent(cards()[0], false);
        announce(`${plural(fresh.length, 'new comment')} in the queue.`);
      }
      if (cards().length < LOW && (counts?.[tab] ?? 0) > shown().length) await refill(true);
      showEmptyIfNeeded();
    } catch {
      // Offline for a moment: the next round tries again.
    }
  }
  if (pollUrl) {
    setInterval(() => {
      if (document.visibilityState === 'visible') void poll();
    }, pollMs);
  }

  // live.js marked a card changed elsewhere: never leave the highlight on it, and refill if that left few.
  document.addEventListener('queue:remote-change', (e) => {
    if (e.detail?.counts) updateCounts(e.detail.counts);
    if (current?.hasAttribute('data-remote-status')) setCurrent(neighbour(current) ?? cards()[0] ?? null, false);
    void refill();
    showEmptyIfNeeded();
  });

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
    else if (e.key === 'z') undo();
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
    const target = e.target instanceof Element ? e.target : null;
    const card = target?.closest('.card');
    // The conflict note's buttons act on their own (and may take the card away).
    if (!card || !list.contains(card) || target.closest('.card-conflict, .card-remote')) return;
    setCurrent(card, false);
    // A card's own buttons take the same path as the keys (optimistic, undoable); without script they post.
    const button = target.closest('button[data-action]');
    if (button && !isDetail) {
      e.preventDefault();
      act(button.dataset.action, [card]);
    }
  });
  list.addEventListener('focusin', (e) => {
    const card = e.target instanceof Element ? e.target.closest('.card') : null;
    if (card && card !== current) setCurrent(card, false);
  });
  document.getElementById('select-all')?.addEventListener('change', (e) => {
    for (const c of cards()) if (checkbox(c)) checkbox(c).checked = e.target.checked;
  });
  undoButton?.addEventListener('click', () => undo());
  // The order is part of the URL (the filter form's GET); choosing one applies it at once.
  document.getElementById('f-sort')?.addEventListener('change', (e) => e.target.form?.requestSubmit());
  document.getElementById('pager')?.addEventListener('click', (e) => {
    if (!(e.target instanceof Element) || !e.target.closest('a')) return;
    e.preventDefault();
    void refill(true);
  });

  setCurrent(cards()[0], false);
  // Opened on a page past the end while comments are still waiting: fetch them rather than look empty.
  if (!isDetail && shown().length === 0 && (counts?.[tab] ?? 0) > 0) void refill(true);
})();

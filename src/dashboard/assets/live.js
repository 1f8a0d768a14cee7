// The live queue: decisions made anywhere (another moderator, the API, the CLI, the filters) reach this
// tab within a moment, over server-sent events from /dashboard/queue/live. For each change:
//   - a card on the page about that comment, showing another status, gets `data-remote-status` and a
//     visible note (`.card-remote`, "Rejected by b@example.com 3 s ago"); dashboard.js treats such a
//     card as no longer actionable;
//   - the tab counts (`[data-count=STATUS]`) take the fresh numbers (the change's own, or, when it has
//     none, the view's counts asked for again);
//   - `queue:remote-change` is dispatched on document with the change as its detail, whether or not
//     its card is on this page (dashboard.js refills the page on it).
// Cards are never removed here. If the stream cannot be opened (or keeps failing), the tab polls the
// queue's counts and the moderation log instead. A file of its own because the CSP allows no inline script.
// Nothing is missed silently: every event has an id; the first stream asks for what came after the
// position the page was rendered at (`data-live-cursor`), a reconnecting EventSource sends Last-Event-ID,
// and a new one (after polling) `?after=` the last id seen. The server replays what the tab missed, or
// sends `resync` when it cannot: the page reloads (or, while the moderator is in the middle of something,
// says it is out of date and offers the reload).
(() => {
  const list = document.getElementById('queue');
  if (!list || list.dataset.detail === 'true' || !('fetch' in window)) return;

  const params = new URLSearchParams(location.search);
  const site = params.get('site') ?? '';
  // The tabs count exactly the site's comments only when the page shows one site, unfiltered; else
  // the counts are asked for again, for this view.
  const siteCounts = site !== '' && !params.get('article') && !params.get('q');
  let lastEventId = list.dataset.liveCursor ?? '';
  const streamUrl = () => {
    const q = new URLSearchParams();
    if (site) q.set('site', site);
    if (lastEventId) q.set('after', lastEventId);
    const query = q.toString();
    return `/dashboard/queue/live${query ? `?${query}` : ''}`;
  };
  const POLL_MS = 5_000;

  const DONE = {
    approved: 'Approved',
    rejected: 'Rejected',
    spam: 'Marked as spam',
    pending: 'Put back in the queue',
    deleted: 'Deleted',
  };
  const BY = { filters: 'by the filters', cli: 'from the command line', reports: "by readers' reports", system: '' };

  function ago(iso) {
    const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
    if (s < 60) return `${s} s ago`;
    if (s < 3600) return `${Math.floor(s / 60)} min ago`;
    return `${Math.floor(s / 3600)} h ago`;
  }

  function noteText(change) {
    const by = change.actor in BY ? BY[change.actor] : `by ${change.actor}`;
    return `${DONE[change.status] ?? `Now ${change.status}`}${by ? ` ${by}` : ''}`;
  }

  function renderNote(note) {
    const time = note.querySelector('time');
    if (time) time.textContent = ago(time.dateTime);
  }

  function markCard(change) {
    const card = list.querySelector(`li.card[data-id="${CSS.escape(change.commentId)}"]`);
    if (!card) return;
    let note = card.querySelector('.card-remote');
    if (card.dataset.status === change.status) {
      // Changed back to what this card shows (a restore): it is right again.
      delete card.dataset.remoteStatus;
      note?.remove();
      return;
    }
    card.dataset.remoteStatus = change.status;
    if (!note) {
      note = document.createElement('p');
      note.className = 'card-remote';
      note.setAttribute('role', 'status');
      (card.querySelector('.content') ?? card).prepend(note);
    }
    note.dataset.status = change.status;
    note.textContent = `${noteText(change)} `;
    const time = document.createElement('time');
    time.dateTime = change.at;
    time.title = new Date(change.at).toLocaleString();
    note.append(time);
    renderNote(note);
  }

  function setCounts(counts) {
    if (!counts) return;
    for (const el of document.querySelectorAll('[data-count]')) {
      const n = counts[el.dataset.count];
      if (typeof n === 'number') el.textContent = String(n);
    }
  }

  // Counts of this view (filtered, or several sites): one request for a burst of changes.
  let countsTimer = null;
  async function refreshCounts() {
    countsTimer = null;
    try {
      const res = await fetch(`/dashboard/queue/poll${location.search}`, {
        headers: { accept: 'application/json' },
        credentials: 'same-origin',
      });
      if (res.ok) setCounts((await res.json()).counts);
    } catch {
      // The next change or poll tries again.
    }
  }

  function apply(change) {
    markCard(change);
    // A change announced while nobody watched the site (this tab was away, or had just opened) comes
    // without counts: they are asked for, as for a view the site's counts do not fit.
    if (siteCounts && change.siteId === site && change.counts) setCounts(change.counts);
    else if (!countsTimer) countsTimer = setTimeout(refreshCounts, 150);
    document.dispatchEvent(new CustomEvent('queue:remote-change', { detail: change }));
  }

  setInterval(() => {
    for (const note of list.querySelectorAll('.card-remote')) renderNote(note);
  }, 5_000);

  // Fallback: the moderation log since the tab fell back, and the view's counts, every few seconds.
  let pollTimer = null;
  let lastLogId = null;
  const LABEL = { filter: 'filters', cli: 'cli', system: 'system' };
  async function pollLog() {
    try {
      const res = await fetch(`/api/v1/moderation/log?limit=100${site ? `&siteId=${encodeURIComponent(site)}` : ''}`, {
        headers: { accept: 'application/json' },
        credentials: 'same-origin',
      });
      if (!res.ok) return;
      const entries = (await res.json()).entries ?? [];
      const fresh = lastLogId === null ? [] : entries.filter((e) => BigInt(e.id) > BigInt(lastLogId));
      if (entries[0]) lastLogId = lastLogId && BigInt(lastLogId) > BigInt(entries[0].id) ? lastLogId : entries[0].id;
      for (const e of fresh.reverse()) {
        apply({
          commentId: e.commentId,
          siteId: e.siteId,
          status: e.to,
          previousStatus: e.from,
          actor: e.actorEmail ?? (e.actorId === 'reports' ? 'reports' : (LABEL[e.actorType] ?? e.actorType)),
          at: e.createdAt,
          counts: null,
        });
      }
      // The counts asked for once, here, for all of them.
      clearTimeout(countsTimer);
      await refreshCounts();
    } catch {
      // Offline for a moment: the next round tries again.
    }
  }
  function startPolling() {
    if (pollTimer) return;
    list.dataset.live = 'polling';
    void pollLog();
    pollTimer = setInterval(() => {
      if (document.visibilityState === 'visible') void pollLog();
    }, POLL_MS);
  }
  function stopPolling() {
    if (pollTimer) clearInterval(pollTimer);
    pollTimer = null;
    lastLogId = null;
  }

  // The moderator is in the middle of something a reload would lose: a selection, a reason being typed,
  // an undo offer.
  function busy() {
    const active = document.activeElement;
    return (
      list.querySelector('input[type="checkbox"]:checked') !== null ||
      (active instanceof HTMLElement && active.matches('input, textarea, select')) ||
      document.getElementById('toast')?.hidden === false
    );
  }
  function resync() {
    list.dataset.live = 'stale';
    document.dispatchEvent(new CustomEvent('queue:resync'));
    if (!busy()) return location.reload();
    if (document.getElementById('live-stale')) return;
    const note = document.createElement('p');
    note.id = 'live-stale';
    note.className = 'notice error';
    note.setAttribute('role', 'alert');
    note.textContent = 'This queue missed updates while it was disconnected and may be out of date. ';
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = 'Reload the queue';
    button.addEventListener('click', () => location.reload());
    note.append(button);
    list.before(note);
  }

  if (!('EventSource' in window)) return startPolling();

  let failures = 0;
  function connect() {
    const source = new EventSource(streamUrl());
    const seen = (e) => {
      if (e.lastEventId) lastEventId = e.lastEventId;
    };
    source.addEventListener('ready', (e) => {
      seen(e);
      failures = 0;
      stopPolling();
      list.dataset.live = 'streaming';
    });
    source.addEventListener('resync', resync);
    source.addEventListener('change', (e) => {
      seen(e);
      try {
        apply(JSON.parse(e.data));
      } catch {
        // Not a change this page understands.
      }
    });
    source.addEventListener('error', () => {
      failures += 1;
      // EventSource reconnects by itself after a dropped stream; a refused one (403, 429, 503, the
      // sign-in page) it gives up on. Either way the tab polls until the stream is back.
      if (source.readyState === EventSource.CLOSED || failures >= 3) {
        source.close();
        startPolling();
        setTimeout(connect, Math.min(60_000, 5_000 * failures));
      }
    });
  }
  connect();
})();

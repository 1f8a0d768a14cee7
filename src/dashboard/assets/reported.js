// Keys for the Reported tab: j/k move between the reported comments, d dismisses the reports, r
// rejects the comment and s marks it as spam. Each key presses the card's own form button, so the
// decision is the same plain form post (and redirect back) that works without JavaScript. Served as a
// file because the dashboard's Content-Security-Policy allows no inline script.
(() => {
  const list = document.getElementById('reported');
  if (!list) return;
  const KEYS = { d: 'dismiss', r: 'reject', s: 'spam' };
  let current = null;
  let sent = false;

  const cards = () => Array.from(list.querySelectorAll('.card'));

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
    const i = current ? all.indexOf(current) : -1;
    setCurrent(all[Math.min(all.length - 1, Math.max(0, i + delta))] ?? all[0]);
  }

  const typing = (el) =>
    el instanceof HTMLElement &&
    (el.isContentEditable || el.matches('textarea, select, input:not([type="checkbox"]):not([type="radio"])'));

  document.addEventListener('keydown', (e) => {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
    if (KEYS[e.key] && current && !sent) {
      const button = current.querySelector(`button[data-decision="${KEYS[e.key]}"]`);
      if (!button) return;
      // One decision per page: the redirect back brings the next card to the top.
      sent = true;
      button.form.requestSubmit(button);
    } else if (e.key === 'j') move(1);
    else if (e.key === 'k') move(-1);
    else return;
    e.preventDefault();
  });

  list.addEventListener('focusin', (e) => {
    const card = e.target instanceof Element ? e.target.closest('.card') : null;
    if (card && card !== current) setCurrent(card, false);
  });
  list.addEventListener('click', (e) => {
    const card = e.target instanceof Element ? e.target.closest('.card') : null;
    if (card) setCurrent(card, false);
  });

  setCurrent(cards()[0], false);
})();

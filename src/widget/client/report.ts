// "Report": one modal <dialog> for the whole thread (focus is trapped and returned by the browser),
// with the reasons, an optional detail, and the EU DSA notice fields shown only for "illegal".
import { newIdempotencyKey, type PublicComment, type SiteApi } from './api.ts';
import { h, store, stored } from './dom.ts';

const TOKEN_KEY = 'comments:reporter';
const REASONS = {
  spam: 'Spam',
  abuse: 'Abuse',
  off_topic: 'Off topic',
  other: 'Something else',
  illegal: 'Illegal content',
};
// The API's field names, labelled; errors name them.
const FIELDS = {
  detail: 'Details (optional)',
  law: 'Law or rule broken',
  explanation: 'Why it breaks it',
  reporterName: 'Your name',
  reporterEmail: 'Your email',
};
type Field = keyof typeof FIELDS;

/** The reader's reporter token: random, kept in this browser, so one reader counts once per comment. */
function reporterToken(): string {
  const token = stored<string>(TOKEN_KEY) ?? newIdempotencyKey();
  store(TOKEN_KEY, token);
  return token;
}

export function reportDialog(api: SiteApi) {
  let comment: PublicComment | null = null;
  let opener: HTMLElement | null = null;
  let busy = false;
  const inputs = {} as Record<Field, HTMLInputElement | HTMLTextAreaElement>;
  const field = (name: Field, control: HTMLInputElement | HTMLTextAreaElement) => {
    inputs[name] = control;
    control.id = `r-${name}`;
    control.name = name;
    return [h('label', { for: control.id }, FIELDS[name]), control];
  };
  const reasons = Object.entries(REASONS).map(([value, label]) =>
    h('label', { class: 'check' }, h('input', { type: 'radio', name: 'reason', value, required: true }), label),
  );
  const goodFaith = h('input', { type: 'checkbox', name: 'goodFaith' });
  const illegal = h(
    'fieldset',
    { hidden: true },
    h('legend', null, 'Notice of illegal content (all required)'),
    ...field('law', h('input', { maxlength: 300 })),
    ...field('explanation', h('textarea', { rows: 4, maxlength: 5000 })),
    ...field('reporterName', h('input', { autocomplete: 'name', maxlength: 100 })),
    ...field('reporterEmail', h('input', { type: 'email', autocomplete: 'email', maxlength: 254 })),
    h('label', { class: 'check' }, goodFaith, 'I confirm in good faith that this notice is accurate.'),
  );
  const alert = h('p', { class: 'msg bad', role: 'alert' });
  const status = h('p', { class: 'msg', role: 'status' });
  const title = h('h2', { id: 'r-title' });
  const form = h(
    'form',
    {
      novalidate: true,
      onsubmit: (e) => void send(e),
      onchange: () => (illegal.hidden = reason() !== 'illegal'),
    },
    h('fieldset', null, h('legend', null, 'Reason'), ...reasons),
    ...field('detail', h('textarea', { rows: 3, maxlength: 1000 })),
    illegal,
    alert,
    h('button', { type: 'submit', class: 'submit' }, 'Send report'),
  );
  const close = h('button', { type: 'button', class: 'link', onclick: () => dialog.close() }, 'Close');
  const dialog = h(
    'dialog',
    { 'aria-labelledby': 'r-title', onclose: () => opener?.focus() },
    title,
    status,
    form,
    close,
  );

  const reason = () => (form.elements.namedItem('reason') as RadioNodeList).value;

  async function send(event: Event) {
    event.preventDefault();
    if (busy || !comment) return;
    alert.textContent = '';
    const body: Record<string, unknown> = { reason: reason(), reporterToken: reporterToken() };
    for (const name of Object.keys(FIELDS) as Field[])
      if (name === 'detail' || !illegal.hidden) body[name] = inputs[name].value || undefined;
    if (!illegal.hidden && goodFaith.checked) body.goodFaith = true;
    busy = true;
    try {
      const { status: code, body: answer, retryAfter } = await api.report(comment.id, JSON.stringify(body));
      if (code === 202) {
        form.hidden = true;
        status.textContent = 'Thank you: your report was sent to the moderators.';
        close.focus();
      } else {
        const errors = (answer.errors ?? []).map(
          (e) => `${e.path === 'reason' ? 'Reason' : (FIELDS[e.path as Field] ?? e.path)} ${e.message}.`,
        );
        alert.textContent =
          errors.join(' ') ||
          `${answer.detail ?? `Your report was not sent (HTTP ${code}).`}${retryAfter ? ` Try again in ${retryAfter} seconds.` : ''}`;
      }
    } catch {
      alert.textContent = 'The service could not be reached; please try again.';
    } finally {
      busy = false;
    }
  }

  return {
    element: dialog,
    open(target: PublicComment, button: HTMLElement) {
      comment = target;
      opener = button;
      form.reset();
      illegal.hidden = true;
      form.hidden = false;
      alert.textContent = status.textContent = '';
      title.replaceChildren('Report the comment by ', h('bdi', null, target.name));
      dialog.showModal();
    },
  };
}

// "Leave a reply": the form, replies that move it under a comment, remembered author, idempotent posting,
// and every answer of the API turned into a message next to the right field.
import { newIdempotencyKey, type PublicComment, type SiteApi } from './api.ts';
import { h, store, stored } from './dom.ts';

export interface FormOptions {
  api: SiteApi;
  article: { id: string; title: string; url: string };
  onPosted(status: 'approved' | 'pending', comment: PublicComment): void;
}

const AUTHOR_KEY = 'comments:author';
const FIELDS = { body: 'Comment', name: 'Name', email: 'Email' } as const;
type Field = keyof typeof FIELDS;

export function commentForm(options: FormOptions) {
  const saved = stored<{ name: string; email: string }>(AUTHOR_KEY);
  const inputs = {} as Record<Field, HTMLInputElement | HTMLTextAreaElement>;
  const errors = {} as Record<Field, HTMLParagraphElement>;
  const field = (name: Field, control: HTMLInputElement | HTMLTextAreaElement) => {
    inputs[name] = control;
    errors[name] = h('p', { class: 'err', id: `${name}-error`, hidden: true });
    return [h('label', { for: name }, FIELDS[name], h('span', { 'aria-hidden': 'true' }, ' *')), control, errors[name]];
  };

  const heading = h('h2', { id: 'respond-title' }, 'Leave a reply');
  const cancel = h(
    'button',
    { type: 'button', class: 'link', hidden: true, onclick: () => cancelReply(true) },
    'Cancel reply',
  );
  const remember = h('input', { type: 'checkbox', id: 'remember', checked: !!saved });
  const notify = h('input', { type: 'checkbox', id: 'notify', name: 'notify', value: 'replies' });
  const honeypot = h('input', { id: 'website', name: 'website', tabindex: -1, autocomplete: 'off' });
  // Live regions stay in the page (empty and unstyled when silent) so screen readers announce each change.
  const alert = h('p', { class: 'msg bad', role: 'alert' });
  const status = h('p', { class: 'msg', role: 'status' });
  const submit = h('button', { type: 'submit', class: 'submit' }, 'Post Comment');
  const form = h(
    'form',
    {
      novalidate: true,
      'aria-labelledby': 'respond-title',
      onsubmit: (e) => void send(e),
      onkeydown: (e) => (e as KeyboardEvent).key === 'Escape' && cancelReply(true),
    },
    h('p', { class: 'mu', id: 'email-note' }, 'Your email address will not be published. Required fields are marked *'),
    ...field('body', h('textarea', { id: 'body', name: 'body', rows: 6, maxlength: 10000, required: true })),
    ...field(
      'name',
      h('input', {
        id: 'name',
        name: 'name',
        autocomplete: 'name',
        maxlength: 100,
        required: true,
        value: saved?.name,
      }),
    ),
    ...field(
      'email',
      h('input', {
        id: 'email',
        name: 'email',
        type: 'email',
        autocomplete: 'email',
        maxlength: 254,
        required: true,
        'aria-describedby': 'email-note',
        value: saved?.email,
      }),
    ),
    // Bots fill every field; people never see this one (the filters treat a filled one as spam).
    h(
      'div',
      { class: 'hp', 'aria-hidden': 'true' },
      h('label', { for: 'website' }, 'Leave this field empty'),
      honeypot,
    ),
    h('label', { class: 'check' }, notify, 'Email me replies to my comment (after I confirm my address)'),
    h('label', { class: 'check' }, remember, 'Save my name and email in this browser for the next time I comment.'),
    alert,
    submit,
  );
  const element = h('div', { class: 'respond' }, status, heading, cancel, form);
  const home = h('div', null, element);
  const renderedAt = Date.now();

  let parent: { comment: PublicComment; item: HTMLLIElement } | null = null;
  let busy = false;
  // A retry of the same text reuses the key, so a post that did arrive is not stored twice.
  let lastJson = '';
  let key = '';

  function cancelReply(focusBack: boolean) {
    if (!parent) return;
    const replyButton = parent.item.querySelector<HTMLElement>(':scope > article .reply');
    parent = null;
    heading.textContent = 'Leave a reply';
    cancel.hidden = true;
    home.append(element);
    if (focusBack) replyButton?.focus();
  }

  function replyTo(comment: PublicComment, item: HTMLLIElement) {
    parent = { comment, item };
    // The name isolated (<bdi>): a right-to-left override in it stays inside it.
    heading.replaceChildren('Reply to ', h('bdi', null, comment.name));
    cancel.hidden = false;
    status.textContent = '';
    item.querySelector(':scope > article')!.after(element);
    inputs.body.focus();
  }

  function showErrors(list: { path: string; message: string }[], detail: string) {
    const messages: string[] = [];
    let first: HTMLElement | null = null;
    // In the form's order, so focus lands on the first field a reader meets.
    const order = (path: string) => Object.keys(FIELDS).indexOf(path) >>> 0;
    for (const { path, message } of [...list].sort((a, b) => order(a.path) - order(b.path))) {
      const name = path as Field;
      // Not a field of this form (parentId, or articleId from the page's data attributes): said in the alert only.
      if (!(name in FIELDS)) {
        messages.push(`${path} ${message}.`);
        continue;
      }
      errors[name].textContent = `${FIELDS[name]} ${message}.`;
      messages.push(errors[name].textContent);
      errors[name].hidden = false;
      inputs[name].setAttribute('aria-invalid', 'true');
      inputs[name].setAttribute('aria-describedby', `${name === 'email' ? 'email-note ' : ''}${name}-error`);
      first ??= inputs[name];
    }
    // The field messages again, in the announced region: a screen reader hears what to fix at once.
    say(alert, messages.length ? `Please correct: ${messages.join(' ')}` : detail);
    first?.focus();
  }

  function clearErrors() {
    alert.textContent = status.textContent = '';
    for (const name of Object.keys(FIELDS) as Field[]) {
      errors[name].hidden = true;
      inputs[name].removeAttribute('aria-invalid');
      if (name === 'email') inputs[name].setAttribute('aria-describedby', 'email-note');
      else inputs[name].removeAttribute('aria-describedby');
    }
  }

  async function send(event: Event) {
    event.preventDefault();
    if (busy) return;
    clearErrors();
    const json = JSON.stringify({
      articleId: options.article.id,
      articleUrl: options.article.url,
      articleTitle: options.article.title,
      parentId: parent?.comment.id,
      name: inputs.name.value,
      email: inputs.email.value,
      body: inputs.body.value,
      website: honeypot.value,
      notify: notify.checked ? 'replies' : undefined,
      renderedAt,
    });
    if (json !== lastJson) [lastJson, key] = [json, newIdempotencyKey()];
    // aria-disabled rather than disabled: a disabled button would drop the keyboard focus.
    busy = true;
    submit.setAttribute('aria-disabled', 'true');
    try {
      const answer = await options.api.post(json, key);
      const { status: code, body } = answer;
      if (code === 201 && body.comment) {
        lastJson = '';
        store(AUTHOR_KEY, remember.checked ? { name: inputs.name.value, email: inputs.email.value } : null);
        inputs.body.value = '';
        cancelReply(false);
        options.onPosted(body.status ?? 'pending', body.comment);
        say(
          status,
          body.status === 'approved'
            ? 'Thank you: your comment is published.'
            : 'Thank you: your comment was received and is awaiting moderation. Until it is approved, only you see it.',
        );
      } else if (code === 429 || code >= 500) {
        const wait = answer.retryAfter ? ` in ${answer.retryAfter} seconds` : ' in a moment';
        say(
          alert,
          `${body.detail ?? 'The comment service is busy.'} Your comment was not posted yet; please try again${wait}. Your text is kept.`,
        );
      } else {
        showErrors(body.errors ?? [], body.detail ?? `Your comment was not posted (HTTP ${code}).`);
      }
    } catch {
      say(
        alert,
        'The comment service could not be reached, so your comment was not posted. Check your connection and try again; your text is kept.',
      );
    } finally {
      busy = false;
      submit.removeAttribute('aria-disabled');
    }
  }

  return {
    element: home,
    replyTo,
    cancelReply,
    close: () => home.replaceChildren(h('p', { class: 'mu' }, 'Comments are closed.')),
  };
}

function say(region: HTMLElement, text: string) {
  region.textContent = text;
}

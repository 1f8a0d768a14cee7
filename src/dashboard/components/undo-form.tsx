// The Undo button of a decision's notice, for pages used without JavaScript (see undo-offer.ts).
import type { UndoEntry } from '../undo-offer.ts';

export function UndoForm(p: { csrf: string; entries: UndoEntry[]; returnTo: string }) {
  return (
    <form method="post" action="/dashboard/queue/bulk" class="inline undo-form">
      <input type="hidden" name="_csrf" value={p.csrf} />
      <input type="hidden" name="return" value={p.returnTo} />
      {p.entries.map((e) => (
        <>
          <input type="hidden" name="ids" value={e.id} />
          <input type="hidden" name={`expected.${e.id}`} value={e.status} />
        </>
      ))}
      <button type="submit" name="action" value="undo">
        Undo
      </button>
    </form>
  );
}

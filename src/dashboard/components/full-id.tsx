// An id shown in full, so it can be told apart and copied: a <code> with the whole id (the stylesheet
// may shorten it on screen; the title shows it on hover and a selection copies all of it), and a copy
// button that dashboard-copy.js wires up (the CSP allows no inline script).
export function FullId(props: { id: string }) {
  return (
    <span class="full-id">
      <code title={props.id}>{props.id}</code>
      <button type="button" class="copy" data-copy={props.id} title="Copy the id" hidden>
        Copy
      </button>
    </span>
  );
}

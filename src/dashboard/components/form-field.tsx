// A labelled input with its help text and validation message, wired for screen readers.
import type { Child } from 'hono/jsx';
import type { FieldError } from '../../shared/errors.ts';

export function errorFor(errors: FieldError[], path: string): string | null {
  return errors.find((e) => e.path === path)?.message ?? null;
}

/** Renders `children(attrs)` with the attributes its input needs (id, aria-invalid, aria-describedby). */
export function Field(p: {
  id: string;
  label: string;
  help?: string;
  error: string | null;
  checkbox?: boolean;
  children: (attrs: Record<string, string>) => Child;
}) {
  const describedBy = [p.help ? `${p.id}-help` : '', p.error ? `${p.id}-error` : ''].filter(Boolean).join(' ');
  const attrs: Record<string, string> = {
    id: p.id,
    ...(describedBy ? { 'aria-describedby': describedBy } : {}),
    ...(p.error ? { 'aria-invalid': 'true' } : {}),
  };
  return (
    <div class="field">
      {p.checkbox ? (
        <label for={p.id}>
          {p.children(attrs)} {p.label}
        </label>
      ) : (
        <label for={p.id}>{p.label}</label>
      )}
      {p.help && (
        <p class="help" id={`${p.id}-help`}>
          {p.help}
        </p>
      )}
      {!p.checkbox && p.children(attrs)}
      {p.error && (
        <p class="error" id={`${p.id}-error`}>
          {p.error}
        </p>
      )}
    </div>
  );
}

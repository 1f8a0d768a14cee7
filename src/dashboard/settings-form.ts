// The site settings form is generated from siteSettingsSchema (src/sites/site-settings.ts): a setting
// added there appears here with a sensible input, and the service's validation messages land next to it.
import type { FieldError } from '../shared/errors.ts';
import { siteSettingsSchema } from '../sites/site-settings.ts';

export type SettingField =
  | { key: string; kind: 'list' }
  | { key: string; kind: 'choice'; options: string[] }
  | { key: string; kind: 'number'; nullable: boolean; min: number | null; max: number | null; integer: boolean }
  | { key: string; kind: 'boolean' }
  | { key: string; kind: 'text'; nullable: boolean };

interface ZodLike {
  def: { type: string; innerType?: ZodLike; in?: ZodLike; entries?: Record<string, string> };
  minValue?: number | null;
  maxValue?: number | null;
  isInt?: boolean;
}

/** Unwraps defaults, nullables and transforms down to the input the user types. */
function describe(key: string, schema: ZodLike): SettingField {
  let s = schema;
  let nullable = false;
  for (;;) {
    const { type } = s.def;
    if (type === 'nullable') nullable = true;
    if ((type === 'default' || type === 'nullable' || type === 'optional') && s.def.innerType) s = s.def.innerType;
    else if (type === 'pipe' && s.def.in) s = s.def.in;
    else break;
  }
  switch (s.def.type) {
    case 'array':
      return { key, kind: 'list' };
    case 'enum':
      return { key, kind: 'choice', options: Object.values(s.def.entries ?? {}) };
    case 'number':
      return {
        key,
        kind: 'number',
        nullable,
        min: s.minValue ?? null,
        max: s.maxValue ?? null,
        integer: s.isInt === true,
      };
    case 'boolean':
      return { key, kind: 'boolean' };
    default:
      return { key, kind: 'text', nullable };
  }
}

export function settingFields(): SettingField[] {
  return Object.entries(siteSettingsSchema.shape).map(([key, schema]) => describe(key, schema as unknown as ZodLike));
}

/** The stored value as the form shows it: lists one entry per line, null as empty. */
export function formValue(field: SettingField, value: unknown): string {
  if (value === null || value === undefined) return '';
  if (field.kind === 'list') return Array.isArray(value) ? value.join('\n') : '';
  return String(value);
}

/**
 * The submitted form as settings (only the settings it sent). Only the shape is checked here (a number is a number); ranges and
 * everything else are the site service's rules, so the form and the API can never disagree.
 */
export function settingsFromForm(
  fields: SettingField[],
  form: Record<string, unknown>,
): { settings: Record<string, unknown>; errors: FieldError[] } {
  const settings: Record<string, unknown> = {};
  const errors: FieldError[] = [];
  for (const f of fields) {
    // A setting the form did not send stays as it is; an unticked checkbox is never sent, so it means false.
    if (!(f.key in form) && f.kind !== 'boolean') continue;
    const raw = typeof form[f.key] === 'string' ? (form[f.key] as string) : '';
    if (f.kind === 'boolean') settings[f.key] = raw === 'on' || raw === 'true';
    else if (f.kind === 'list')
      settings[f.key] = raw
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter(Boolean);
    else if (f.kind === 'number') {
      const value = raw.trim();
      if (value === '') {
        if (f.nullable) settings[f.key] = null;
        else errors.push({ path: `settings.${f.key}`, message: 'is required' });
      } else if (!Number.isFinite(Number(value)))
        errors.push({ path: `settings.${f.key}`, message: 'must be a number' });
      else settings[f.key] = Number(value);
    } else if (f.kind === 'text' && f.nullable && raw.trim() === '') settings[f.key] = null;
    else settings[f.key] = raw.trim();
  }
  return { settings, errors };
}

import { describe, expect, it } from 'vitest';
import { formValue, settingFields, settingsFromForm } from '../../src/dashboard/settings-form.ts';
import { siteSettingsSchema } from '../../src/sites/site-settings.ts';

describe('the site settings form, generated from the settings schema', () => {
  const fields = settingFields();
  const byKey = Object.fromEntries(fields.map((f) => [f.key, f]));

  it('has one input per setting, of the right kind', () => {
    expect(fields.map((f) => f.key)).toEqual(Object.keys(siteSettingsSchema.shape));
    expect(byKey.origins).toEqual({ key: 'origins', kind: 'list' });
    expect(byKey.moderation).toEqual({ key: 'moderation', kind: 'choice', options: ['all', 'first', 'none'] });
    expect(byKey.maxDepth).toEqual({
      key: 'maxDepth',
      kind: 'number',
      nullable: false,
      min: 1,
      max: 10,
      integer: true,
    });
    expect(byKey.closeAfterDays).toMatchObject({ kind: 'number', nullable: true });
    expect(byKey.revealRejections).toEqual({ key: 'revealRejections', kind: 'boolean' });
  });

  it('reads the form back: lists by line, empty nullable numbers as null, unticked boxes as false', () => {
    const { settings, errors } = settingsFromForm(fields, {
      origins: 'https://a.example\r\n\r\n https://b.example ',
      moderation: 'all',
      maxDepth: '3',
      closeAfterDays: '',
      spamRetentionDays: '30',
    });
    expect(errors).toEqual([]);
    expect(settings).toMatchObject({
      origins: ['https://a.example', 'https://b.example'],
      moderation: 'all',
      maxDepth: 3,
      closeAfterDays: null,
      revealRejections: false,
    });
    expect(siteSettingsSchema.safeParse(settings).success).toBe(true);
  });

  it('names the field when a number is not a number or missing', () => {
    const { errors } = settingsFromForm(fields, { maxDepth: 'deep', spamRetentionDays: '' });
    expect(errors).toEqual([
      { path: 'settings.maxDepth', message: 'must be a number' },
      { path: 'settings.spamRetentionDays', message: 'is required' },
    ]);
  });

  it('leaves settings the form did not send as they are (except checkboxes, which are never sent unticked)', () => {
    const { settings } = settingsFromForm(fields, { maxDepth: '4' });
    expect(settings).toEqual({ maxDepth: 4, requireVerifiedForTrust: false, revealRejections: false });
  });

  it('shows stored values as the form expects them', () => {
    expect(formValue(byKey.origins!, ['https://a.example', 'https://b.example'])).toBe(
      'https://a.example\nhttps://b.example',
    );
    expect(formValue(byKey.closeAfterDays!, null)).toBe('');
    expect(formValue(byKey.revealRejections!, true)).toBe('true');
  });
});

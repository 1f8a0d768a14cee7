// "3 hours ago", with the exact date and time on hover (title) and for machines (datetime).
import { h } from './dom.ts';

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 31_536e6],
  ['month', 2_592e6],
  ['week', 6_048e5],
  ['day', 864e5],
  ['hour', 36e5],
  ['minute', 6e4],
];

export function timeElement(iso: string, lang: string | undefined): HTMLTimeElement {
  const date = new Date(iso);
  const ago = date.getTime() - Date.now();
  let text = 'just now';
  let exact = iso;
  try {
    const unit = UNITS.find(([, ms]) => Math.abs(ago) >= ms);
    if (unit) text = new Intl.RelativeTimeFormat(lang, { numeric: 'auto' }).format(Math.round(ago / unit[1]), unit[0]);
    exact = date.toLocaleString(lang, { dateStyle: 'long', timeStyle: 'short' });
  } catch {
    // an invalid lang attribute on the page: keep the fallbacks
  }
  return h('time', { datetime: iso, title: exact }, text);
}

// Times as people read them ("5 min ago"), with the exact UTC time for tooltips and screen readers.
function ago(date: Date, now = Date.now()): string {
  const s = Math.max(0, Math.round((now - date.getTime()) / 1000));
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`;
  if (s < 30 * 86_400) return `${Math.floor(s / 86_400)} d ago`;
  return date.toISOString().slice(0, 10);
}

export function Time(props: { at: Date | null }) {
  if (!props.at) return <span class="muted">never</span>;
  const iso = props.at.toISOString();
  return (
    <time datetime={iso} title={`${iso.replace('T', ' ').slice(0, 19)} UTC`}>
      {ago(props.at)}
    </time>
  );
}

// /embed.js, the URL publishers paste: a few bytes cached for minutes that load the content-hashed
// bundle cached for a year, so a deploy reaches every page within minutes and a repeat visit loads nothing.
const current = document.currentScript as HTMLScriptElement | null;
const bundle = document.createElement('script');
bundle.src = new URL(EMBED_PATH, current?.src || location.href).href;
bundle.async = true;
document.head.append(bundle);

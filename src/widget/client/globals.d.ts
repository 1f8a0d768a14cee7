// Values the build (src/widget/widget-bundle.ts) injects with esbuild's `define`.

/** The widget's stylesheet, minified at build time from widget.css. */
declare const WIDGET_CSS: string;
/** In the loader only: the content-hashed path of the widget bundle, e.g. "/widget/embed.3f2a9c1b7d.js". */
declare const EMBED_PATH: string;

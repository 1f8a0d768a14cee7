// The demo article shown at / in embedded mode (text copied from shared/seed-article.txt).
import { readFileSync } from 'node:fs';

export interface DemoArticle {
  id: string;
  title: string;
  highlights: string[];
  paragraphs: string[];
}

export const DEMO_SITE_ID = 'demo';
const DEMO_ARTICLE_ID = 'pk-kz-action-plan';

export function loadDemoArticle(): DemoArticle {
  const text = readFileSync(new URL('./seed-article.txt', import.meta.url), 'utf8');
  // Lines of only spaces or no-break spaces separate sections in the source text.
  const lines = text
    .split('\n')
    .map((l) => l.replace(/\u00a0/g, ' ').trim())
    .filter(Boolean);
  const [title = 'Demo article', ...rest] = lines;
  return {
    id: DEMO_ARTICLE_ID,
    title,
    highlights: rest.filter((l) => l.startsWith('•')).map((l) => l.replace(/^•\s*/, '')),
    paragraphs: rest.filter((l) => !l.startsWith('•')),
  };
}

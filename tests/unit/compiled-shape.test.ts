// compiledShape (src/comments/compiled-shape.ts) must give exactly what building and compiling the
// query each time gives, for every shape, and refuse a builder that transforms a value.
import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { activeBanQuery } from '../../src/bans/ban.repository.ts';
import { compiledShape } from '../../src/comments/compiled-shape.ts';
import type { Database } from '../../src/db/schema.ts';

// The real PostgreSQL query compiler; nothing is executed.
const db = new Kysely<Database>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (k) => new PostgresIntrospector(k),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});

type P = { siteId: string; emailHash: string; domains: string[]; ip: string | null; now: Date };
const build = (k: Kysely<Database>, p: P) =>
  activeBanQuery(k, p.siteId, { emailHash: p.emailHash, domains: p.domains, ip: p.ip }, p.now);

describe('compiledShape', () => {
  it('gives the SQL and parameters of a fresh build for each shape, in any order of calls', () => {
    const shaped = compiledShape(build);
    const calls: P[] = [
      { siteId: 's1', emailHash: 'h1', domains: ['a.example', 'example'], ip: '10.0.0.1', now: new Date(1) },
      { siteId: 's2', emailHash: 'h2', domains: [], ip: null, now: new Date(2) },
      { siteId: 's3', emailHash: 'h3', domains: ['b.example'], ip: '10.0.0.3', now: new Date(3) },
      { siteId: 's4', emailHash: 'h4', domains: ['c.example', 'd.example'], ip: '10.0.0.4', now: new Date(4) },
      { siteId: 's5', emailHash: 'h5', domains: [], ip: '10.0.0.5', now: new Date(5) },
      { siteId: 's6', emailHash: 'h6', domains: [], ip: null, now: new Date(6) },
    ];
    for (const p of calls) {
      const fresh = build(db, p).compile();
      const reused = shaped(db, p);
      expect(reused.sql).toBe(fresh.sql);
      expect(reused.parameters).toEqual(fresh.parameters);
    }
  });

  it('refuses a builder that transforms a value instead of passing it', () => {
    const shaped = compiledShape((k: Kysely<Database>, p: { name: string }) =>
      k.selectFrom('comments').select('id').where('name', '=', p.name.toLowerCase()),
    );
    expect(() => shaped(db, { name: 'Alice' })).toThrow(/transformed/);
    const wrapped = compiledShape((k: Kysely<Database>, p: { reasons: unknown[] }) =>
      k
        .selectFrom('comments')
        .select('id')
        .where(sql<boolean>`reasons = ${JSON.stringify(p.reasons)}::jsonb`),
    );
    expect(() => wrapped(db, { reasons: ['x'] })).toThrow(/transformed/);
  });
});

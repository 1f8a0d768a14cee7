import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/env.ts';

describe('loadConfig', () => {
  it('defaults to the embedded mode with nothing set', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      port: 3000,
      redisUrl: null,
      secretKey: null,
      trustProxy: false,
      webhookAllowPrivate: false,
      logLevel: 'info',
    });
    expect(c.database.kind).toBe('pglite');
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('uses PostgreSQL and Redis when their URLs are set', () => {
    const c = loadConfig({
      DATABASE_URL: 'postgres://u@db/x',
      REDIS_URL: 'redis://r:6379',
      SECRET_KEY: 'k'.repeat(32),
      TRUST_PROXY: 'true',
    });
    expect(c.database).toEqual({ kind: 'postgres', url: 'postgres://u@db/x' });
    expect(c.redisUrl).toBe('redis://r:6379');
    expect(c.trustProxy).toBe(true);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ DATABASE_URL: 'postgres://x/y' }, 'SECRET_KEY'],
    [{ REDIS_URL: 'http://x' }, 'REDIS_URL'],
    [{ SECRET_KEY: 'short' }, 'SECRET_KEY'],
    [{ TRUST_PROXY: 'maybe' }, 'TRUST_PROXY'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ ADMIN_EMAIL: 'a@b.co' }, 'ADMIN_PASSWORD'],
  ])('fails with a message naming the bad variable: %o', (env, name) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(name);
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: '' }).database.kind).toBe('pglite');
  });

  it('turns the demo site on in the embedded default only, unless DEMO says otherwise', () => {
    const pg = { DATABASE_URL: 'postgres://u@db/x', SECRET_KEY: 'k'.repeat(32) };
    expect(loadConfig({}).demo).toBe(true);
    expect(loadConfig(pg).demo).toBe(false);
    expect(loadConfig({ ...pg, DEMO: 'true' }).demo).toBe(true);
    expect(loadConfig({ DEMO: 'false' }).demo).toBe(false);
    expect(() => loadConfig({ DEMO: 'maybe' })).toThrow(/DEMO/);
  });
});

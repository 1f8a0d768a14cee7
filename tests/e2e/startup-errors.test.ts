// Start-up fails fast and says why: bad configuration names the variable, an unreachable database
// is reported as such. (Mode-independent: runs once.)
import { describe, expect, it } from 'vitest';
import { runTsx } from '../support/server-process.ts';
import { TEST_SECRET, testDb } from '../support/stores.ts';

describe.skipIf(testDb() !== 'pglite')('start-up errors', () => {
  it('names the bad variable and exits 1', async () => {
    const res = await runTsx('src/bin/server.ts', [], { PORT: 'eighty', DATABASE_URL: '', REDIS_URL: '' });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('PORT');
    const secret = await runTsx('src/bin/server.ts', [], {
      DATABASE_URL: 'postgres://x@127.0.0.1:1/x',
      SECRET_KEY: '',
    });
    expect(secret.code).toBe(1);
    expect(secret.stderr).toContain('SECRET_KEY');
  });

  it('reports an unreachable database within seconds and exits 1', async () => {
    const started = Date.now();
    const res = await runTsx('src/bin/server.ts', [], {
      DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none',
      SECRET_KEY: TEST_SECRET,
      PORT: '0',
    });
    expect(res.code).toBe(1);
    expect(res.stdout + res.stderr).toContain('could not open the database');
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});

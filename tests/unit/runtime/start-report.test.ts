// The pure parts of the operator's first screen: which log format, and what is wrong with a Redis.
import { describe, expect, it } from 'vitest';
import { redisSetupProblems, startUrls } from '../../../src/runtime/start-report.ts';
import { resolveLogFormat } from '../../../src/shared/logger.ts';

describe('log format', () => {
  it('is pretty at a terminal and JSON otherwise, unless LOG_FORMAT says', () => {
    expect(resolveLogFormat('auto', true)).toBe('pretty');
    expect(resolveLogFormat('auto', false)).toBe('json');
    expect(resolveLogFormat('json', true)).toBe('json');
    expect(resolveLogFormat('pretty', false)).toBe('pretty');
  });
});

describe('start URLs', () => {
  it('names the demo article only when it is served', () => {
    expect(startUrls('https://c.example', true)).toEqual({
      dashboard: 'https://c.example/dashboard',
      mail: 'https://c.example/dashboard/mail',
      docs: 'https://c.example/docs',
      demo: 'https://c.example/',
    });
    expect(startUrls('https://c.example', false).demo).toBeNull();
  });
});

describe('Redis setup for BullMQ', () => {
  const memory = (policy: string) => `# Memory\r\nused_memory:1\r\nmaxmemory_policy:${policy}\r\n`;
  const persistence = (aof: 0 | 1) => `# Persistence\r\nloading:0\r\naof_enabled:${aof}\r\n`;

  it('finds nothing wrong with noeviction and appendonly', () => {
    expect(redisSetupProblems(memory('noeviction'), persistence(1))).toEqual([]);
  });

  it('warns about any eviction policy but noeviction, naming it', () => {
    for (const policy of ['allkeys-lru', 'volatile-lru', 'allkeys-random', 'volatile-ttl', 'allkeys-lfu']) {
      const problems = redisSetupProblems(memory(policy), persistence(1));
      expect(problems).toHaveLength(1);
      expect(problems[0]).toContain(`maxmemory-policy is ${policy}`);
      expect(problems[0]).toContain('noeviction');
    }
  });

  it('warns when appendonly is off', () => {
    const problems = redisSetupProblems(memory('noeviction'), persistence(0));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('appendonly');
  });
});

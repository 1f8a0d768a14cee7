// What docker-compose.yml and the Dockerfile promise, checked where no Docker engine runs them
// (tests/e2e/production-start.test.ts runs their commands).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { composeService, dockerfileInstruction } from '../support/production-image.ts';
import { projectRoot } from '../support/server-process.ts';

const seconds = (d: string) => Number(/^(\d+)s$/.exec(d)?.[1]);

describe('docker-compose.yml', () => {
  const api = composeService('api');
  const worker = composeService('worker');

  it('runs the API and the worker from one image, each with its compiled entry point', () => {
    expect(worker.image).toBe(api.image);
    expect(worker.build).toEqual(api.build);
    expect(api.command).toEqual(['node', 'dist/src/bin/api.js']);
    expect(worker.command).toEqual(['node', 'dist/src/bin/worker.js']);
  });

  it('restarts them, puts an init in front, and gives them time to drain', () => {
    for (const s of [api, worker]) {
      expect(s.restart).toBe('unless-stopped');
      expect(s.init).toBe(true);
    }
    // The API's requests get 10 s after SIGTERM (src/runtime/run-server.ts), then the pools close.
    expect(seconds(api.stop_grace_period)).toBeGreaterThanOrEqual(15);
    expect(seconds(worker.stop_grace_period)).toBeGreaterThanOrEqual(15);
  });

  it("checks the API's readiness, and publishes no single host port that `--scale api=N` would fight over", () => {
    expect(api.healthcheck.test.join(' ')).toContain('/readyz');
    for (const p of api.ports as string[]) {
      const host = String(p).includes(':') ? String(p).split(':')[0]! : '';
      expect(host === '' || host.includes('-'), `ports: ${p}`).toBe(true);
    }
    expect(worker.ports).toEqual([]);
  });
});

describe('Dockerfile', () => {
  const text = readFileSync(path.join(projectRoot, 'Dockerfile'), 'utf8');
  const stages = text.split('\n').filter((l) => l.startsWith('FROM '));

  it('builds in stages on a current Node LTS', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(/^ARG NODE_IMAGE=node:(22|24)-/m.test(text)).toBe(true);
  });

  it('runs node on the compiled entry point under tini, as an unprivileged user', () => {
    expect(dockerfileInstruction('CMD')).toEqual(['node', 'dist/src/bin/server.js']);
    expect(dockerfileInstruction('ENTRYPOINT')[0]).toBe('tini');
    const final = text.slice(text.lastIndexOf('\nFROM '));
    expect(final).toMatch(/^USER node$/m);
    // Its node_modules come from the stage that installs production dependencies only.
    expect(final).toMatch(/COPY --from=deps \/app\/node_modules/);
    expect(text).toMatch(/ AS deps\n(?:(?!FROM ).*\n)*RUN npm ci --omit=dev/);
  });
});

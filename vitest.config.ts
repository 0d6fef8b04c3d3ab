import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The examples' own suite runs with the command its header gives (`npx vitest run examples/fake-tfe.test.mjs`).
    include: ['test/**/*.test.ts', 'examples/**/*.test.mjs'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
    // Most files wait on sockets and child processes, not the CPU: two workers halve the wall time on 2 cores.
    maxWorkers: 2,
    restoreMocks: true,
  },
});

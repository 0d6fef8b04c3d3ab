import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
    // Most files wait on sockets and child processes, not the CPU: two workers halve the wall time on 2 cores.
    maxWorkers: 2,
    restoreMocks: true,
  },
});

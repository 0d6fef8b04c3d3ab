import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The examples' own suite runs with the command its header gives (`npx vitest run examples/fake-tfe.test.mjs`).
    include: ['test/**/*.test.ts', 'examples/**/*.test.mjs'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
    // Half the CPU goes to the CLI processes the tests start, and a third of the files mostly wait (rate-limit
    // windows, timeouts, polling): a third worker fills the cores those leave idle.
    maxWorkers: 3,
    // At most 3 × 3 tests at a time, as 2 × 5 were: with two suites at once on 2 cores, a test starting the CLI
    // three times still takes about half its timeout (3 × 5 took such tests past 20 s).
    maxConcurrency: 3,
    // A fresh process per file cost about 60 of the suite's 240 CPU seconds, re-importing vitest and the SDK
    // 100 times. No file mocks a module or leaves an env variable, timer or msw server behind, so each worker
    // runs its files one after another in one process.
    isolate: false,
    restoreMocks: true,
  },
});

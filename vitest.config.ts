import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['engine/src/**/*.test.ts', 'migrations/src/**/*.test.ts', 'server/src/**/*.test.ts', 'runtime-ui/src/**/*.test.ts', 'tests/**/*.test.ts'],
    // Each test file opens its own database (PGlite in memory, or a fresh PostgreSQL database).
    pool: 'forks',
    globalSetup: ['tests/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // A poll waits on a server or a browser on a loaded CI machine: vitest's 1 s default made
    // waits such as "the bulk delete has answered" fail there while the behaviour was right.
    expect: { poll: { timeout: 10_000, interval: 100 } },
  },
});

import { describe } from 'vitest';

export * from './browser';
export * from './e2e-server';
export * from './e2e-session';
export * from './screens';
export * from './settled';
export * from './sign-in';
export * from './ui-build';

/**
 * Browser tests run once per CI run: `.ci/run` runs the suite on PGlite and again on PostgreSQL
 * (DATABASE_URL set), and the UI does not depend on which database serves it.
 */
export const runsBrowserTests = !process.env.DATABASE_URL;
export const describeE2e = describe.skipIf(!runsBrowserTests);

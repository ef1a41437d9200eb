import { afterAll, beforeAll } from 'vitest';
import { launchBrowser, type Browser } from './browser';
import { startE2eServer, type E2eServer } from './e2e-server';

/** Starting may first build runtime-ui/dist (when its sources changed), slow on a loaded machine. */
const START_TIMEOUT_MS = 240_000;

/** The server and browser of one test file, readable once its beforeAll has run. */
export interface E2eSession {
  readonly server: E2eServer;
  readonly browser: Browser;
}

/**
 * Registers the beforeAll that starts the file's server and chromium (in parallel) and the
 * afterAll that closes both. Call it at the top of the describeE2e block, before the file's own
 * hooks: vitest runs beforeAll hooks in the order they were registered and afterAll hooks in the
 * reverse order, so the file's setup sees a running server and its teardown (closing its pages)
 * runs before the browser goes. The accessors throw when read before the hook ran, rather than
 * handing a test an undefined server.
 */
export function useE2eSession(env: Record<string, string> = {}): E2eSession {
  let server: E2eServer | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    // Settled one by one, so whichever started is stopped by afterAll even when the other failed.
    const started = await Promise.allSettled([startE2eServer(env).then((s) => (server = s)), launchBrowser().then((b) => (browser = b))]);
    for (const outcome of started) if (outcome.status === 'rejected') throw outcome.reason;
  }, START_TIMEOUT_MS);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });
  return {
    get server() {
      if (!server) throw new Error('the e2e server is not started yet (read it inside a test or a hook)');
      return server;
    },
    get browser() {
      if (!browser) throw new Error('the browser is not launched yet (read it inside a test or a hook)');
      return browser;
    },
  };
}

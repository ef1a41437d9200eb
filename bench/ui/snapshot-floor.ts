/**
 * How soon a server-rendered list could paint its rows (`BENCH_UI_ONLY=navigation,floors`): the
 * app's own list page, once rendered, is taken as HTML (the document with its style sheets and
 * the rendered rows) and served as the page, as server rendering would send it:
 * - without any script: the floor of painting that markup with the app's CSS;
 * - with the app's scripts as index.html loads them: the app boots over the markup and renders
 *   its own list in its place (createRoot, not hydration).
 * Both are measured in the navigation's rounds, beside the plain table and the live app. Not a
 * feature: the figures tell whether server rendering is worth building (see README, "UI benchmarks").
 */
import type { Page } from '../../tests/e2e/support';
import { secondBuild } from './second-build';

export interface SnapshotPages {
  /** The rendered list's markup and style sheets, no script. */
  readonly noScript: string;
  /** The same markup with the app's scripts, which boot over it. */
  readonly withScripts: string;
  close(): Promise<void>;
}

/** Serves the list `page` shows (signed in, rows rendered) as HTML, in front of `server`. */
export async function snapshotPages(page: Page, dist: string, server: string): Promise<SnapshotPages> {
  // Read through DevTools (a string: the app's CSP refuses eval, not the protocol).
  const html = `<!doctype html>${(await page.evaluate('document.documentElement.outerHTML')) as string}`;
  const noScript = html.replace(/<script\b[^>]*>[\s\S]*?<\/script>/g, '').replace(/<link rel="modulepreload"[^>]*>/g, '');
  const [bare, booting] = await Promise.all([secondBuild(dist, server, noScript), secondBuild(dist, server, html)]);
  return {
    noScript: bare.base,
    withScripts: booting.base,
    close: async () => void (await Promise.all([bare.close(), booting.close()])),
  };
}

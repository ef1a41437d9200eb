import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { antdCss } from './build/antd-css-plugin.ts';

/**
 * public/early-fetch.js is a classic script (it must run while the page is parsed, before the
 * modules), which Vite does not bundle: a public file is served under its own name, revalidated
 * on every load, a round trip the parser waits for. The build gives it a content-hashed name
 * under assets/, which serve-ui serves as immutable, so a returning page runs it from the cache.
 */
function hashedEarlyFetch(): Plugin {
  const source = readFileSync(new URL('./public/early-fetch.js', import.meta.url), 'utf8');
  const fileName = `assets/early-fetch-${createHash('sha256').update(source).digest('hex').slice(0, 10)}.js`;
  return {
    name: 'crm-hashed-early-fetch',
    apply: 'build',
    generateBundle() {
      this.emitFile({ type: 'asset', fileName, source });
    },
    transformIndexHtml(html) {
      if (!html.includes('src="/early-fetch.js"')) throw new Error('index.html no longer loads /early-fetch.js: update the hashedEarlyFetch plugin');
      return html.replace('src="/early-fetch.js"', `src="/${fileName}"`);
    },
  };
}

export default defineConfig({
  plugins: [react(), antdCss(), hashedEarlyFetch()],
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The manifest lets a test measure what the first page load pulls in (tests/ui/bundle-budget.test.ts).
    manifest: true,
    // exceljs's browser build is one 850 KB module (238 KB gzip), loaded only when an .xlsx is imported.
    chunkSizeWarningLimit: 900,
    // index.html keeps its modulepreload links (read by the browser's preload scanner, at no cost);
    // a dynamic import no longer adds one <link> per chunk it needs to the document at run time:
    // ~40 of them on the way to a list took 15-35 ms of the main thread at boot. Its chunks load
    // as the browser finds their imports (from the cache after the first visit: assets are
    // immutable). Style sheets are still added, as the screens need them.
    modulePreload: { resolveDependencies: (_file, deps, { hostType }) => (hostType === 'html' ? deps : deps.filter((dep) => dep.endsWith('.css'))) },
  },
});

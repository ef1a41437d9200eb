import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

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
  plugins: [react(), hashedEarlyFetch()],
  base: '/',
  // The manifest lets a test measure what the first page load pulls in (tests/ui/bundle-budget.test.ts).
  build: { outDir: 'dist', emptyOutDir: true, manifest: true },
});

import type { Plugin } from 'vite';

/** The module main.tsx imports for antd's style sheet (build/antd-styles.ts). */
const ID = 'virtual:antd.css';
// Resolved to a name ending in .css, so Vite treats it as a style sheet (bundled, minified, hashed).
const RESOLVED = '\0antd-used.css';

/**
 * `import 'virtual:antd.css'`: the rules of only the antd components the app uses, extracted at
 * build time (and on a dev server's first request) by build/antd-styles.ts, in place of the
 * whole `antd/dist/antd.css`.
 */
export function antdCss(): Plugin {
  return {
    name: 'crm:antd-css',
    resolveId: (id) => (id === ID ? RESOLVED : undefined),
    async load(id) {
      if (id !== RESOLVED) return undefined;
      // Loaded only here: rendering antd on the server costs a second, not paid by other Vite commands.
      const { antdStyles } = await import('./antd-styles.ts');
      return antdStyles();
    },
  };
}

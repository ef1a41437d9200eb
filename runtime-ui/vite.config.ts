import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { antdCss } from './build/antd-css-plugin.ts';

export default defineConfig({
  plugins: [react(), antdCss()],
  base: '/',
  // The manifest lets a test measure what the first page load pulls in (tests/ui/bundle-budget.test.ts).
  build: { outDir: 'dist', emptyOutDir: true, manifest: true },
});

import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  base: '/',
  // The manifest lets a test measure what the first page load pulls in (tests/ui/bundle-budget.test.ts).
  build: { outDir: 'dist', emptyOutDir: true, manifest: true },
});

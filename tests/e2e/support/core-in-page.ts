import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { RUNTIME_UI_DIST } from './ui-build';

/** The URL of the runtime UI's core chunk (`@crm/engine/core` as the app ships it), from Vite's manifest. */
export function coreChunkUrl(): string {
  const manifest = JSON.parse(readFileSync(join(RUNTIME_UI_DIST, '.vite', 'manifest.json'), 'utf8')) as Record<string, { file: string }>;
  const entry = Object.entries(manifest).find(([source]) => source.endsWith('engine/src/core/index.ts'));
  if (!entry) throw new Error('the runtime UI build has no core chunk (engine/src/core/index.ts) in its manifest');
  return `/${entry[1].file}`;
}

/**
 * Makes `window.__checkInput(object, input, old?)` in a signed-in app page: the core chunk the app
 * loads, the user's client metadata and the revision's generated rules module, compiled as the
 * app compiles them (metadata/client-metadata.ts), so the check is the one a form runs. It answers
 * what the API would: 'ok', or `{ status, en, zh }` with the error body in both languages.
 */
export async function installInputCheck(page: Page, userId: string): Promise<void> {
  await page.evaluate(`(async () => {
    const core = await import(${JSON.stringify(coreChunkUrl())});
    const metadata = await (await fetch('/api/meta/client', { credentials: 'same-origin' })).json();
    const compilers = core.moduleCompilers(await import(metadata.rules_module), metadata.rules_module);
    const compiled = new Map();
    window.__checkInput = (name, input, old) => {
      if (!compiled.has(name)) {
        const object = metadata.objects.find((candidate) => candidate.name === name);
        compiled.set(name, core.compileInputObject(core.inputDocumentsOf(object), compilers));
      }
      const object = compiled.get(name);
      const context = { user: { id: ${JSON.stringify(userId)} }, now: new Date() };
      const result = core.checkRecordInput(object, input, { context, ...(old ? { old } : {}) });
      if (result.ok) return 'ok';
      const error = core.nameFieldsByLabel(result.error, object, new Set());
      return { status: error.status, en: error.toBody('en'), zh: error.toBody('zh-CN') };
    };
  })()`);
}

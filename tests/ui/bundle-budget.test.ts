import { beforeAll, describe, expect, it } from 'vitest';
import { ensureRuntimeUiBuilt, RUNTIME_UI_DIST } from '../e2e/support/ui-build';
import { initialJavaScript } from './initial-javascript';

/**
 * The first load of `/` (the sign-in page, or the shell's frame before its chunk arrives) carries
 * at most 300 KB of gzipped JavaScript; the shell, the screens and the core load per route.
 */
const BUDGET_BYTES = 300 * 1000;

describe('runtime UI bundle budget', () => {
  beforeAll(ensureRuntimeUiBuilt, 180_000);

  it(`loads at most ${BUDGET_BYTES / 1000} KB of gzipped JavaScript on the first page`, () => {
    const initial = initialJavaScript(RUNTIME_UI_DIST);
    const report = initial.files.map((file) => `${file.file}: ${(file.gzip / 1000).toFixed(1)} KB gzip`).join('\n');
    expect(initial.gzipBytes, `initial JavaScript of /:\n${report}`).toBeLessThanOrEqual(BUDGET_BYTES);
  });

  it('keeps the route screens, the shell and the core out of the first load', () => {
    const files = initialJavaScript(RUNTIME_UI_DIST).files.map((file) => file.file);
    for (const lazy of ['AppShell', 'HomePage', 'ListPage', 'RecordPage', 'RecordFormPage', 'BoardPage', 'core-'])
      expect(files.filter((file) => file.includes(lazy)), lazy).toEqual([]);
  });
});

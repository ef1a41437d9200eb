import type { Locator, Page } from 'playwright-core';

/**
 * The box of `locator` once the page has settled: the shell's menus and badges are in (they render
 * after the first paint is on screen, app/first-paint.ts) and the box stayed put over 100 ms. A
 * drag measured before that could aim at a column that then moved.
 */
export async function settledBox(page: Page, locator: Locator): Promise<{ x: number; y: number; width: number; height: number }> {
  await page.locator('.shell__actions > *').first().waitFor({ timeout: 20_000 });
  let box = await locator.boundingBox();
  for (let tries = 0; tries < 50; tries += 1) {
    await page.waitForTimeout(100);
    const next = await locator.boundingBox();
    if (box && next && box.x === next.x && box.y === next.y && box.width === next.width && box.height === next.height) return next;
    box = next;
  }
  throw new Error('the element kept moving (or never showed) for 5 s');
}

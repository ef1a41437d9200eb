import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export type { Browser, BrowserContext, Page } from 'playwright-core';
import { ROOT } from './ui-build';

/** Debian's chromium (.ci/run installs it with fonts-noto-cjk); CHROMIUM_PATH overrides. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export type Language = 'en' | 'zh-CN';
export type Size = 'desktop' | 'phone';
export const VIEWPORTS: Readonly<Record<Size, { width: number; height: number }>> = {
  desktop: { width: 1440, height: 900 },
  phone: { width: 375, height: 812 },
};

/** One chromium per test file (beforeAll); pages come from contexts, one per user. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
}

/**
 * What went wrong in a page that the test did not ask for: uncaught exceptions, console errors and
 * CSP violations. A failed API answer (4xx/5xx) is logged by chromium as a console error too; those
 * are expected answers (401 before sign-in, 409/422 a test provokes), so they are kept apart.
 */
export interface PageProblems {
  readonly errors: string[];
  readonly failedRequests: string[];
  /** Messages matching one of these are not counted (a test that provokes a known error). */
  allow(pattern: RegExp): void;
  /** Throws with every problem seen so far, then forgets them. */
  assertNone(): void;
}

export interface E2ePage {
  readonly page: Page;
  readonly context: BrowserContext;
  readonly problems: PageProblems;
  readonly language: Language;
  readonly size: Size;
  close(): Promise<void>;
}

const FAILED_RESOURCE = /^Failed to load resource: the server responded with a status of (\d+)/;

function watch(page: Page): PageProblems {
  const errors: string[] = [];
  const failedRequests: string[] = [];
  const allowed: RegExp[] = [];
  page.on('pageerror', (error) => errors.push(`page error: ${error.stack ?? error.message}`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    if (FAILED_RESOURCE.test(text)) failedRequests.push(`${text} (${message.location().url})`);
    else errors.push(`console error: ${text}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 500) errors.push(`server error ${response.status()} on ${response.request().method()} ${response.url()}`);
  });
  return {
    errors,
    failedRequests,
    allow: (pattern) => void allowed.push(pattern),
    assertNone() {
      const unexpected = errors.filter((error) => !allowed.some((pattern) => pattern.test(error)));
      errors.length = 0;
      if (unexpected.length) throw new Error(`the page reported problems:\n${unexpected.join('\n')}`);
    },
  };
}

/**
 * A fresh browser context (own cookies and storage) in a language and at a size. The language is
 * both the browser's (navigator.language) and the UI's stored choice, so the app starts in it.
 */
export async function openPage(browser: Browser, options: { language?: Language; size?: Size } = {}): Promise<E2ePage> {
  const language = options.language ?? 'en';
  const size = options.size ?? 'desktop';
  const context = await browser.newContext({
    viewport: VIEWPORTS[size],
    locale: language,
    ...(size === 'phone' ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}),
  });
  // A string: these files are type-checked without the DOM library.
  await context.addInitScript(`if (!localStorage.getItem('crm.locale')) localStorage.setItem('crm.locale', ${JSON.stringify(language)});`);
  // Every page reports CSP violations as console errors, so watch() fails the test on them.
  await context.addInitScript(
    "document.addEventListener('securitypolicyviolation', (e) => console.error('CSP violation: ' + e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':' + e.lineNumber));",
  );
  const page = await context.newPage();
  const problems = watch(page);
  return { page, context, problems, language, size, close: () => context.close() };
}

export const SCREENSHOT_DIR = join(ROOT, 'tests', 'e2e', 'screenshots');

/** Saves `tests/e2e/screenshots/<screen>-<language>-<size>.png` (not committed; README ones are copied). */
export async function screenshot(target: E2ePage, screen: string, options: { fullPage?: boolean } = {}): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${screen}-${target.language}-${target.size}.png`);
  // antd's open and close motions (a dialog zooming in) run on CSS classes the screenshot would
  // catch half-way: a dialog taken at its first frame was an empty mask. A screen whose motion does
  // not end in time is taken as it is.
  await target.page
    .waitForFunction(
      // A function (the app's CSP refuses a string's eval), typed without the DOM library.
      () => !(globalThis as unknown as { document: { querySelector(selector: string): unknown } }).document.querySelector('[class*="-appear-active"], [class*="-enter-active"], [class*="-leave-active"]'),
      undefined,
      { timeout: 3_000, polling: 'raf' },
    )
    .catch(() => undefined);
  await target.page.screenshot({ path, fullPage: options.fullPage ?? false });
  return path;
}

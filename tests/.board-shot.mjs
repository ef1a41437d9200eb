import { chromium } from 'playwright-core';
const base = 'http://localhost:4104';
const pages = (process.env.PAGES ?? '/o/opportunity/board/funnel,/approvals,/notifications,/').split(',');
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
for (const locale of (process.env.LOCALES ?? 'zh-CN,en').split(',')) {
  for (const [w, h] of [[1440, 900], [375, 812]]) {
    const context = await browser.newContext({ viewport: { width: w, height: h }, locale });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    await page.goto(base + '/');
    await page.waitForSelector('#sign-in-email', { timeout: 15000 });
    await page.fill('#sign-in-email', process.env.EMAIL ?? 'admin@example.com');
    await page.fill('#sign-in-password', process.env.PASSWORD ?? 'admin12345');
    await page.click('button[type=submit]');
    await page.waitForTimeout(2500);
    for (const path of pages) {
      await page.goto(base + path);
      await page.waitForTimeout(2500);
      const name = `${path.replace(/[^a-z]+/gi, '_') || 'home'}-${locale}-${w}`;
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
      await page.screenshot({ path: `/tmp/board-shots/${name}.png` });
      console.log(name, overflow ? 'HORIZONTAL OVERFLOW' : '');
    }
    if (errors.length) console.log(errors);
    await context.close();
  }
}
await browser.close();

import { launchBrowser } from '../../tests/e2e/support/browser';
const base = 'http://127.0.0.1:3998';
const out = '/tmp/nu/shots';
const browser = await launchBrowser();
for (const [locale, size] of [['zh-CN', { width: 1440, height: 900 }], ['en', { width: 375, height: 812 }]] as const) {
  const context = await browser.newContext({ viewport: size, locale });
  const page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error') console.log('console', m.text()); });
  const tag = locale + '-' + size.width;
  const t0 = Date.now();
  await page.goto(base + '/');
  await page.locator('#sign-in-email').fill('admin@localhost');
  await page.locator('#sign-in-password').fill('v-CoHsfxvSTTuaARFCA_AC33Pe_UnJau');
  await page.screenshot({ path: out + '/01-signin-' + tag + '.png' });
  await page.locator('button[type=submit]').click();
  await page.locator('.shell__header').waitFor();
  await page.waitForTimeout(1500);
  console.log(tag, 'signed in', Date.now() - t0);
  await page.screenshot({ path: out + '/02-home-' + tag + '.png' });
  for (const path of ['/o/account', '/o/opportunity', '/o/contact', '/approvals', '/notifications']) {
    await page.goto(base + path);
    await page.waitForTimeout(1500);
    await page.screenshot({ path: out + '/03' + path.replace(/\//g, '_') + '-' + tag + '.png' });
  }
  console.log(page.url());
  await context.close();
}
await browser.close();

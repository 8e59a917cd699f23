// Statistics in a real browser: an administrator opens /admin/stats from the admin home, sets a
// coverage target at /admin/stats/targets and sees it on the figures; the public /statistics
// page is readable at 320 px without sideways scrolling. Every page is scanned with axe-core,
// in Vietnamese and English.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CATALOG, launchBrowser, scan, signInAdmin, startPortal } from './harness.js';

let portal;
let browser;

before(async () => {
  portal = await startPortal();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await portal?.stop();
});

const t = (key) => CATALOG.vi[key];

test('an administrator reads the statistics and sets a coverage target', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN' });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const found = [];
  try {
    await signInAdmin(page, portal.baseURL);
    await page.locator('a[href="/admin/stats"]').click();
    await page.waitForURL((url) => url.pathname === '/admin/stats');
    await page.getByRole('heading', { level: 1, name: t('stats.admin.title') }).waitFor();
    assert.ok(await page.locator('svg[role=img]').count() >= 1, 'charts drawn');
    assert.ok(await page.locator('table caption').count() >= 1, 'data tables with captions');
    await scan(page, 'admin statistics', found);

    // A month of the demo book, so the province table and chart are drawn too.
    await page.goto(`${portal.baseURL}/admin/stats?month=2026-09`);
    assert.ok(await page.locator('table caption').count() >= 2, 'schemes and provinces tables');
    await scan(page, 'admin statistics for September', found);

    await page.locator('a[href="/admin/stats/targets"]').click();
    await page.waitForURL((url) => url.pathname === '/admin/stats/targets');
    await scan(page, 'targets', found);
    await page.fill('#target-compulsory_si', '0');
    await page.locator('form:has(#target-compulsory_si) button[type=submit]').click();
    await page.locator('.error-summary').waitFor();
    await scan(page, 'targets with an error', found);
    await page.fill('#target-compulsory_si', '1000000');
    await page.locator('form:has(#target-compulsory_si) button[type=submit]').click();
    await page.locator('.notice[role=status]').waitFor();
    await scan(page, 'target saved', found);

    await page.goto(`${portal.baseURL}/admin/stats`);
    const schemes = page.locator('table', { has: page.locator('caption', { hasText: t('stats.schemes.caption') }) });
    assert.match(await schemes.locator('tbody tr').first().innerText(), /1\.000\.000/);

    for (const path of ['/admin/stats?lang=en', '/admin/stats/targets?lang=en']) {
      await page.goto(`${portal.baseURL}${path}`);
      await scan(page, `${path} in English`, found);
    }
    assert.deepEqual(found, [], 'accessibility violations');
  } finally {
    await context.close();
  }
});

test('the public statistics fit a small screen and name nobody', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN' });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const found = [];
  try {
    await page.goto(portal.baseURL + '/');
    await page.locator('footer a[href="/statistics"]').click();
    await page.waitForURL((url) => url.pathname === '/statistics');
    await page.getByRole('heading', { level: 1, name: t('stats.public.title') }).waitFor();
    assert.ok(await page.locator('svg[role=img]').count() >= 1, 'charts drawn');
    await scan(page, 'public statistics', found);
    await page.goto(`${portal.baseURL}/statistics?lang=en`);
    await page.getByRole('heading', { level: 1, name: CATALOG.en['stats.public.title'] }).waitFor();
    await scan(page, 'public statistics in English', found);

    await page.setViewportSize({ width: 320, height: 640 });
    for (const path of ['/statistics', '/statistics?lang=en']) {
      await page.goto(`${portal.baseURL}${path}`);
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 320), `no sideways scrolling at 320 px on ${path}`);
    }
    await scan(page, 'public statistics at 320 px', found);
    assert.deepEqual(found, [], 'accessibility violations');
  } finally {
    await context.close();
  }
});

// The public calculators on a phone: without JavaScript the form is submitted and the result
// page explains each line; with JavaScript the result follows the typing. axe-core (which needs
// JavaScript to run) scans the pages of the JavaScript runs, in both languages.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CATALOG, launchBrowser, scan, startPortal } from './harness.js';

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

for (const lang of ['vi', 'en']) {
  for (const javaScriptEnabled of [false, true]) {
    test(`calculators (${lang}, JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async () => {
      const t = (key) => CATALOG[lang][key];
      const context = await browser.newContext({ viewport: { width: 360, height: 740 }, javaScriptEnabled });
      context.setDefaultTimeout(10_000);
      const page = await context.newPage();
      const violations = [];
      const check = (name) => (javaScriptEnabled ? scan(page, name, violations) : Promise.resolve());
      try {
        await page.goto(`${portal.baseURL}/calculators/voluntary-si?lang=${lang}`);
        await check('voluntary-si');
        await page.fill('#income', '3000000');
        await page.check('#group-near_poor');
        await page.selectOption('#mode', 'yearly');
        // Nov 2026: 22% × 3,000,000 − 40% × 22% × 1,500,000 = 528,000 a month; × 12.
        const total = lang === 'vi' ? '6.336.000 ₫' : '6,336,000 VND';
        if (javaScriptEnabled) {
          await page.fill('#income', '3000000 ');
        } else {
          await page.getByRole('button', { name: t('calc.compute') }).click();
        }
        await page.locator('#result strong').getByText(total).waitFor();
        await check('voluntary-si result');

        await page.goto(`${portal.baseURL}/calculators/household-hi?lang=${lang}`);
        await page.fill('#members', '3');
        if (javaScriptEnabled) {
          await page.fill('#members', '4');
        } else {
          await page.fill('#members', '4');
          await page.getByRole('button', { name: t('calc.compute') }).click();
        }
        // Base salary 2,530,000: 113,850 × (1 + 0.7 + 0.6 + 0.5) × 12.
        await page.locator('#result strong').getByText(lang === 'vi' ? '3.825.360 ₫' : '3,825,360 VND').waitFor();
        await check('household-hi result');
        assert.deepEqual(violations, [], 'axe-core found accessibility violations');
      } finally {
        await context.close();
      }
    });
  }
}

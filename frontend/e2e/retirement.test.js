// The retirement planner in a real browser on a phone-sized screen, in both languages and with
// and without JavaScript: the demo citizen opens it from the account page, sees the retirement
// date, the estimate and the gaps, tries a voluntary income (a good one, then one below the
// floor, which is named), and every page is scanned with axe-core (WCAG 2.2 AA) and must fit
// the phone's width.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CATALOG, launchBrowser, scan, startPortal } from './harness.js';

const LOGIN = 'an.nguyen@demo.ansinh.vn';
const PASSWORD = 'mua-xuan-tren-pho-2026';

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

async function checkFits(page, name, found) {
  const { scrollWidth, clientWidth } = await page.evaluate(() =>
    ({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth }));
  if (scrollWidth > clientWidth) found.push(`[${name}] ${new URL(page.url()).pathname}: the page is ${scrollWidth}px wide on a ${clientWidth}px screen`);
}

for (const lang of ['vi', 'en']) {
  for (const javaScriptEnabled of [true, false]) {
    test(`the retirement planner (${lang}, ${javaScriptEnabled ? 'with' : 'without'} JavaScript)`, async () => {
      const t = (key) => CATALOG[lang][key];
      const context = await browser.newContext({
        viewport: { width: 360, height: 740 },
        locale: lang === 'vi' ? 'vi-VN' : 'en-GB',
        javaScriptEnabled,
      });
      context.setDefaultTimeout(10_000);
      const page = await context.newPage();
      const violations = [];
      // axe-core and the width check run scripts in the page, so only with JavaScript on.
      const check = async (name) => {
        if (!javaScriptEnabled) return;
        await scan(page, name, violations);
        await checkFits(page, name, violations);
      };
      try {
        await page.goto(`${portal.baseURL}/login?lang=${lang}`);
        await page.fill('#login', LOGIN);
        await page.fill('#password', PASSWORD);
        await Promise.all([page.waitForURL((url) => url.pathname === '/account'), page.locator('main button[type=submit]').click()]);
        const link = page.locator('main').getByRole('link', { name: t('retire.title'), exact: true });
        assert.equal(await link.getAttribute('href'), '/account/retirement');
        await Promise.all([page.waitForURL((url) => url.pathname === '/account/retirement'), link.click()]);
        await page.getByRole('heading', { level: 1, name: t('retire.title') }).waitFor();
        // The demo citizen (born May 1990, a man) reaches 62 in May 2052.
        assert.match(await page.locator('main').innerText(), /17\/05\/2052/);
        assert.ok(await page.getByRole('heading', { level: 2, name: t('retire.gaps.heading') }).isVisible());
        assert.ok(await page.getByRole('table', { name: t('retire.gaps.heading') }).isVisible(), 'the gaps are listed');
        assert.ok(await page.getByRole('heading', { level: 2, name: t('retire.keep.heading') }).isVisible(), 'he contributes now');
        await check('planner');

        // What-if at 4,000,000 a month: 22% is 880,000, less 66,000 support.
        await page.fill('#income', '4000000');
        await Promise.all([page.waitForURL((url) => url.searchParams.get('income') === '4000000'), page.getByRole('button', { name: t('calc.compute') }).click()]);
        const result = page.locator('#whatif-result');
        await result.waitFor();
        const text = await result.innerText();
        assert.match(text, lang === 'vi' ? /814\.000 ₫/ : /814,000 VND/);
        await check('planner with a what-if');

        // Below the floor: the field says what the bounds are, and the plan is still there.
        await page.fill('#income', '1000');
        await Promise.all([page.waitForURL((url) => url.searchParams.get('income') === '1000'), page.getByRole('button', { name: t('calc.compute') }).click()]);
        const error = page.locator('#income-error');
        await error.waitFor();
        assert.match(await error.innerText(), lang === 'vi' ? /1\.500\.000/ : /1,500,000/);
        assert.equal(await page.getAttribute('#income', 'aria-invalid'), 'true');
        assert.ok(await page.getByRole('heading', { level: 2, name: t('retire.gaps.heading') }).isVisible());
        await check('planner with a bad income');

        assert.deepEqual(violations, [], 'accessibility problems (axe-core, page width)');
      } finally {
        await context.close();
      }
    });
  }
}

// The demo citizen gives the bank account benefits are paid into, on a phone-sized screen: a
// wrong password is refused with a message on the page and changes nothing; the right one
// saves it, the page then shows it masked, and an email about the change arrives with no digits
// of the number. Every state of the page is scanned with axe-core (WCAG 2.2 AA), in Vietnamese
// and in English.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CATALOG, launchBrowser, scan, startPortal } from './harness.js';

const CITIZEN = { login: 'an.nguyen@demo.ansinh.vn', password: 'mua-xuan-tren-pho-2026' };
const NUMBER = '0071009876543';

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

/** Submits the form in main and returns the answer's status. */
async function submit(page) {
  const answered = page.waitForResponse((r) => r.request().method() === 'POST' && r.request().isNavigationRequest());
  await page.locator('main button[type=submit]').click();
  const response = await answered;
  await page.waitForLoadState();
  return response.status();
}

test('a payout account needs the password again and is shown masked', async () => {
  const t = (key) => CATALOG.vi[key];
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'vi-VN' });
  context.setDefaultTimeout(10_000);
  const found = [];
  try {
    const page = await context.newPage();
    await page.goto(`${portal.baseURL}/login?next=/account`);
    await page.fill('#login', CITIZEN.login);
    await page.fill('#password', CITIZEN.password);
    await page.locator('main button[type=submit]').click();
    await page.waitForURL((url) => url.pathname === '/account');
    await page.locator('a[href="/account/bank-account"]').click();
    await page.getByRole('heading', { level: 1, name: t('payout.title') }).waitFor();
    await page.getByText(t('payout.none')).waitFor();
    await scan(page, 'payout account (none yet)', found);

    const fill = async (password) => {
      await page.selectOption('#bank', '970436');
      await page.fill('#account_number', NUMBER);
      await page.fill('#holder_name', 'NGUYEN VAN AN');
      await page.fill('#password', password);
    };
    await fill('khong-phai-mat-khau');
    assert.equal(await submit(page), 403);
    await page.locator('.error-summary').getByText(t('payout.error.reauth')).waitFor();
    assert.equal(await page.inputValue('#account_number'), '', 'the number is not shown back');
    assert.equal(await page.inputValue('#bank'), '970436', 'the bank chosen stays chosen');
    await scan(page, 'payout account (wrong password)', found);

    await fill(CITIZEN.password);
    assert.equal(await submit(page), 303);
    await page.getByText(t('payout.saved')).waitFor();
    const main = await page.locator('main').innerText();
    assert.ok(main.includes('•••• 6543') && main.includes('Vietcombank'), main);
    assert.ok(!main.includes('9876543'), main);
    await scan(page, 'payout account (saved)', found);

    await page.goto(`${portal.baseURL}/account/bank-account?lang=en`);
    await page.getByRole('heading', { level: 1, name: CATALOG.en['payout.title'] }).waitFor();
    await scan(page, 'payout account (en)', found);

    const mail = await portal.waitForEmail(CITIZEN.login, t('email.payout_account_changed.subject'));
    for (let i = 0; i + 4 <= NUMBER.length; i++) {
      const run = NUMBER.slice(i, i + 4);
      assert.ok(!`${mail.subject} ${mail.text} ${mail.html}`.includes(run), `the notice contains ${run}`);
    }
    assert.deepEqual(found, [], 'accessibility violations');
  } finally {
    await context.close();
  }
});

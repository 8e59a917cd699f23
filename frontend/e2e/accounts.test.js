// Citizen accounts in a real browser, in both languages, on a phone-sized screen: register,
// confirm the email address, log in (after one wrong password), log out. Every page visited is
// scanned with axe-core (WCAG 2.2 AA) and every request must stay on the portal (no third parties).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CATALOG, launchBrowser, scan, startPortal } from './harness.js';

const PASSWORD = 'cay-lua-xanh-ngoai-dong';

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

/** Presses the form's submit button (in main, or the header's log-out) and checks the answer. */
async function submit(page, expectedStatus, button = page.locator('main button[type=submit]')) {
  const answered = page.waitForResponse((r) => r.request().method() === 'POST' && r.request().isNavigationRequest());
  await button.click();
  const response = await answered;
  await page.waitForLoadState();
  const main = await page.locator('main').innerText().catch(() => '');
  assert.equal(response.status(), expectedStatus, `POST ${path(page)} answered ${response.status()}: ${main}`);
}

function path(page) {
  return new URL(page.url()).pathname;
}

for (const lang of ['vi', 'en']) {
  test(`citizen account lifecycle (${lang})`, async () => {
    const t = (key) => CATALOG[lang][key];
    // A Vietnamese phone (Accept-Language: vi-VN): English is reached with the language switch.
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'vi-VN' });
    context.setDefaultTimeout(10_000);
    const requests = [];
    context.on('request', (request) => requests.push(request.url()));
    const page = await context.newPage();
    const violations = [];
    const email = `e2e-${lang}-${Date.now()}@example.vn`;
    const fullName = lang === 'vi' ? 'Nguyễn Văn Thử' : 'Tran Van Test';
    // 001 = Hà Nội, 0 = male born 1900–1999, 92 = 1992.
    const personalId = `001092${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;

    try {
      // Home, then (for English) the language switch: the last link of the header nav.
      await page.goto(portal.baseURL + '/');
      assert.equal(await page.getAttribute('html', 'lang'), 'vi');
      if (lang === 'en') {
        const nav = page.locator('header nav');
        assert.equal((await nav.getByRole('link').last().innerText()).trim(), 'English');
        await nav.getByRole('link').last().click();
        await page.waitForFunction(() => document.documentElement?.lang === 'en');
      }
      await scan(page, 'home', violations);

      // Register: the empty form first (errors), then the filled one.
      await page.locator('header nav').getByRole('link', { name: t('layout.register'), exact: true }).click();
      await page.waitForURL((url) => url.pathname === '/register');
      assert.equal(await page.getAttribute('html', 'lang'), lang);
      await scan(page, 'register', violations);
      await submit(page, 422);
      await page.locator('.error-summary').waitFor();
      await scan(page, 'register with errors', violations);

      await page.fill('#personal_id', personalId);
      await page.fill('#full_name', fullName);
      await page.fill('#birth_date', '1992-03-04');
      await page.fill('#email', email);
      await page.fill('#phone', '0912345678');
      await page.fill('#password', PASSWORD);
      await submit(page, 303);
      assert.equal(path(page), '/check-email');
      await scan(page, 'check-email', violations);

      // The confirmation email (in the page's language) links to a page whose button confirms.
      const mail = await portal.waitForEmail(email, lang === 'vi' ? 'Xác nhận' : 'Confirm');
      assert.equal(mail.subject, t('email.verify_email.subject'));
      const link = portal.firstLink(mail.text);
      assert.match(link, /\/verify-email\?token=/);
      await page.goto(link);
      await page.getByRole('heading', { level: 1, name: t('verify.title') }).waitFor();
      await scan(page, 'verify', violations);
      await submit(page, 200);
      await page.getByRole('heading', { level: 1, name: t('verified.title') }).waitFor();
      await scan(page, 'verified', violations);

      // Log in: a wrong password first.
      await page.goto(portal.baseURL + '/login');
      await scan(page, 'login', violations);
      await page.fill('#login', email);
      await page.fill('#password', 'not-the-password-at-all');
      await submit(page, 401);
      await page.locator('.error-summary').waitFor();
      assert.equal(path(page), '/login');
      await scan(page, 'login with error', violations);

      await page.fill('#login', email);
      await page.fill('#password', PASSWORD);
      await submit(page, 303);
      assert.equal(path(page), '/account');
      await page.getByText(fullName).first().waitFor();
      // The session cookie is `__Host-`/Secure: the browser must keep it on http://127.0.0.1.
      await page.reload();
      assert.equal(path(page), '/account', 'the session did not stick across a reload');
      await scan(page, 'account', violations);

      // Log out with the header button: back home, and /account asks to log in again.
      await submit(page, 303, page.locator('header').getByRole('button', { name: t('layout.logout') }));
      assert.equal(path(page), '/');
      await page.getByText(t('home.signed_out')).waitFor();
      await page.goto(portal.baseURL + '/account');
      assert.equal(path(page), '/login');

      const foreign = requests.filter((url) => !/^(data|blob):/.test(url) && new URL(url).hostname !== '127.0.0.1');
      assert.deepEqual(foreign, [], 'requests to hosts other than 127.0.0.1');
      assert.deepEqual(violations, [], 'accessibility violations');
    } catch (error) {
      console.log(`[${lang}] page at failure: ${page.url()}`);
      throw error;
    } finally {
      await context.close();
    }
  });
}

// A staff member in a real browser: password login, then the mandatory authenticator enrolment
// (QR code and typed key), a wrong code, the right code, and the admin area. Every page is
// scanned with axe-core (WCAG 2.2 AA), as is the error page.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AxeBuilder } from '@axe-core/playwright';
import { ADMIN, launchBrowser, startPortal, totp } from './harness.js';


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

async function violations(page) {
  const { violations } = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  return violations.map((v) => `${new URL(page.url()).pathname}: ${v.id} ${v.help} → ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`);
}

test('staff enrol an authenticator before the admin area', async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'vi-VN' });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const found = [];
  try {
    await page.goto(portal.baseURL + '/admin');
    assert.equal(new URL(page.url()).pathname, '/login', 'anonymous visitors are sent to log in');
    await page.fill('#login', ADMIN.login);
    await page.fill('#password', ADMIN.password);
    await page.locator('main button[type=submit]').click();
    await page.waitForURL((url) => url.pathname === '/admin/mfa');
    assert.ok(await page.locator('figure.qr svg').isVisible(), 'a QR code to scan');
    found.push(...(await violations(page)));

    const secret = (await page.locator('code.secret').innerText()).trim();
    await page.fill('#totp_code', '000000');
    await page.locator('main button[type=submit]').click();
    await page.locator('.error-summary').waitFor();
    found.push(...(await violations(page)));

    await page.fill('#totp_code', totp(secret));
    await page.locator('main button[type=submit]').click();
    await page.waitForURL((url) => url.pathname === '/admin');
    await page.getByRole('heading', { level: 1 }).waitFor();
    found.push(...(await violations(page)));

    const missing = await page.goto(portal.baseURL + '/no-such-page');
    assert.equal(missing.status(), 404);
    found.push(...(await violations(page)));
    assert.deepEqual(found, [], 'accessibility violations');
  } finally {
    await context.close();
  }
});

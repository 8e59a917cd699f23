// Fraud flags in a real browser: two unrelated people register with one phone number, the nightly
// detectors run (`ansinh flags nightly`, as the server does once a day), and the demo
// administrator finds the flag at /admin/flags, reads its explanation and dismisses it — first
// without a reason (refused), then with one. Every page is scanned with axe-core, in both
// languages, and the list is checked on a 320 px screen.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import { CATALOG, launchBrowser, scan, signInAdmin, startPortal } from './harness.js';

const TARGET_DIR = process.env.CARGO_TARGET_DIR || `${process.env.HOME}/.cache/ansinh-target`;
const BIN = process.env.ANSINH_BIN || `${TARGET_DIR}/debug/ansinh`;

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

async function register(n) {
  const reply = await fetch(`${portal.baseURL}/api/v1/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      personal_id: `00109000${String(7000 + n).padStart(4, '0')}`,
      full_name: n === 1 ? 'Đỗ Văn Hùng' : 'Vũ Thị Lan',
      birth_date: '1990-05-17',
      email: `nguoi${n}.flags@example.vn`,
      phone: n === 1 ? '0977 123 456' : '+84977123456',
      password: 'trăng rằm tháng tám sáng tỏ',
    }),
  });
  assert.equal(reply.status, 202, await reply.text());
}

/** Runs the nightly detectors against the portal's database (same directory, same settings). */
async function nightly() {
  const env = { ...process.env };
  delete env.DATABASE_URL;
  const { stdout } = await promisify(execFile)(BIN, ['flags', 'nightly'], { cwd: dirname(portal.mailDir), env });
  return stdout;
}

test('an administrator finds a shared phone flag and dismisses it with a reason', async () => {
  await register(1);
  await register(2);
  assert.match(await nightly(), /^[1-9]\d* new flag/);

  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN' });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const found = [];
  try {
    await signInAdmin(page, portal.baseURL);
    await page.locator('a[href="/admin/flags"]').click();
    await page.waitForURL((url) => url.pathname === '/admin/flags');
    await scan(page, 'flags list', found);

    await page.selectOption('#status', 'open');
    await page.selectOption('#kind', 'shared_phone');
    await page.getByRole('button', { name: t('flags.filter.apply') }).click();
    await page.waitForURL((url) => url.searchParams.get('kind') === 'shared_phone');
    const rows = page.locator('tbody tr');
    assert.equal(await rows.count(), 1);
    await rows.first().getByRole('link', { name: t('flags.kind.shared_phone') }).click();
    await page.waitForURL((url) => /^\/admin\/flags\/[0-9a-f-]{36}$/.test(url.pathname));
    const flagPath = new URL(page.url()).pathname;
    assert.match(await page.locator('.lead').innerText(), /…456/);
    assert.match(await page.locator('#evidence-heading + dl + h3 + ul').innerText(), /Vũ Thị Lan[\s\S]*Đỗ Văn Hùng|Đỗ Văn Hùng[\s\S]*Vũ Thị Lan/);
    await scan(page, 'flag', found);

    // Dismissing needs a reason.
    await page.check('#status-dismissed');
    await page.getByRole('button', { name: t('flags.save') }).click();
    await page.locator('.error-summary').waitFor();
    await scan(page, 'flag with errors', found);
    await page.fill('#reason', 'Hai người là anh em, dùng chung điện thoại của mẹ.');
    await page.getByRole('button', { name: t('flags.save') }).click();
    await page.waitForURL((url) => url.pathname === flagPath);
    await page.getByText('Hai người là anh em').waitFor();
    assert.match(await page.locator('.lead .tag').innerText(), new RegExp(t('flags.status.dismissed')));
    await scan(page, 'dismissed flag', found);

    // Running again leaves it dismissed.
    assert.match(await nightly(), /^0 new flag/);
    await page.reload();
    assert.match(await page.locator('.lead .tag').innerText(), new RegExp(t('flags.status.dismissed')));

    await page.goto(`${portal.baseURL}/admin/flags?lang=en`);
    await page.getByRole('heading', { level: 1, name: CATALOG.en['flags.title'] }).waitFor();
    await scan(page, 'flags list in English', found);
    await page.goto(`${portal.baseURL}${flagPath}?lang=en`);
    await page.getByRole('heading', { level: 1, name: CATALOG.en['flags.kind.shared_phone'] }).waitFor();
    await scan(page, 'flag in English', found);

    // A phone-sized screen: nothing scrolls sideways.
    await page.setViewportSize({ width: 320, height: 640 });
    await page.goto(`${portal.baseURL}/admin/flags`);
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(wide <= 320, `page is ${wide}px wide`);
    await scan(page, 'flags list at 320 px', found);
    assert.deepEqual(found, [], 'accessibility violations');
  } finally {
    await context.close();
  }
});

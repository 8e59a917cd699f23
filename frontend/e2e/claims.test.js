// Staff handle a claim in the browser: the demo citizen files a maternity claim through the
// API, the administrator opens the queue, takes it into review, approves it and marks it paid.
// The admin pages and the citizen's claim pages are scanned with axe-core.
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

async function api(path, { token, key, body } = {}) {
  const headers = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (key) headers['idempotency-key'] = key;
  const response = await fetch(portal.baseURL + path, { method: 'POST', headers, body: JSON.stringify(body ?? null) });
  assert.ok(response.ok, `${path}: ${response.status} ${await response.clone().text()}`);
  return response.json();
}

test('a maternity claim decided and paid by staff', async () => {
  const t = (key) => CATALOG.vi[key];
  const { access_token: token } = await api('/api/v1/auth/login', {
    body: { login: 'an.nguyen@demo.ansinh.vn', password: 'mua-xuan-tren-pho-2026' },
  });
  const claim = await api('/api/v1/me/claims', {
    token, key: 'e2e-claim-1',
    body: { kind: 'maternity', details: { event: 'birth', event_date: '2026-11-02', children: 1, leave_from: '2026-11-02' } },
  });
  await api(`/api/v1/me/claims/${claim.id}/submit`, { token, key: 'e2e-submit-1' });

  const context = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: 'vi-VN' });
  context.setDefaultTimeout(10_000);
  const found = [];
  try {
    const page = await context.newPage();
    await signInAdmin(page, portal.baseURL);
    await page.locator('a[href="/admin/claims"]').click();
    await scan(page, 'claims queue', found);
    await page.locator(`a[href="/admin/claims/${claim.id}"]`).click();
    await page.getByRole('heading', { level: 1 }).waitFor();
    await scan(page, 'claim review', found);
    await page.getByRole('button', { name: t('claims.admin.review') }).click();
    await page.getByRole('button', { name: t('enrol.admin.approve') }).waitFor();
    await page.fill('#amount', '5060000');
    await page.getByRole('button', { name: t('enrol.admin.approve') }).click();
    await page.getByRole('button', { name: t('claims.admin.mark_paid') }).waitFor();
    await scan(page, 'claim approved', found);
    await page.fill('#reference', 'CK-E2E-0001');
    await page.fill('#paid_on', new Date().toISOString().slice(0, 10));
    await page.getByRole('button', { name: t('claims.admin.mark_paid') }).click();
    await page.getByText(t('status.paid')).first().waitFor();
    await scan(page, 'claim paid', found);

    // The citizen sees the decision and payment on the claim's page, in both languages.
    const citizen = await browser.newContext({ viewport: { width: 360, height: 740 } });
    try {
      const mine = await citizen.newPage();
      await mine.goto(`${portal.baseURL}/login?lang=vi&next=/account/claims/${claim.id}`);
      await mine.fill('#login', 'an.nguyen@demo.ansinh.vn');
      await mine.fill('#password', 'mua-xuan-tren-pho-2026');
      await mine.locator('main button[type=submit]').click();
      await mine.getByText('CK-E2E-0001').waitFor();
      await scan(mine, 'citizen claim (vi)', found);
      await mine.goto(`${portal.baseURL}/account/claims?lang=en`);
      await mine.getByRole('heading', { level: 1, name: CATALOG.en['claims.list.title'] }).waitFor();
      await scan(mine, 'citizen claims (en)', found);
    } finally {
      await citizen.close();
    }
    assert.deepEqual(found, [], 'accessibility violations');
  } finally {
    await context.close();
  }
});

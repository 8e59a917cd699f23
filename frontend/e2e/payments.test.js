// A payment run in a real browser: the demo citizen (through the API) gives a bank account and
// submits a maternity claim; the demo administrator approves it on the pages, makes a payment
// run at /admin/payments, downloads the bank-transfer file and marks the run paid; the citizen's
// claim is then paid with the date and reference. The payment pages are scanned with axe-core
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

const CITIZEN = { login: 'an.nguyen@demo.ansinh.vn', password: 'mua-xuan-tren-pho-2026' };
const NUMBER = '0071001234567';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const t = (key) => CATALOG.vi[key];
const en = (key) => CATALOG.en[key];

/** The demo citizen's submitted maternity claim, with a payout account on file; its id. */
async function submittedClaim(baseURL) {
  const call = async (method, path, token, body, headers = {}) => {
    const response = await fetch(baseURL + path, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body && !(body instanceof FormData) ? { 'content-type': 'application/json' } : {}), ...headers },
      body: body instanceof FormData ? body : body && JSON.stringify(body),
    });
    const text = await response.text();
    assert.ok(response.ok, `${method} ${path}: ${response.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };
  const { access_token: token } = await call('POST', '/api/v1/auth/login', null, { login: CITIZEN.login, password: CITIZEN.password });
  await call('PUT', '/api/v1/me/bank-account', token, { bank: '970436', account_number: NUMBER, holder_name: 'NGUYEN VAN AN', password: CITIZEN.password });
  const claim = await call('POST', '/api/v1/me/claims', token,
    { kind: 'maternity', details: { event: 'birth', event_date: '2026-11-02', children: 1, leave_from: '2026-11-02' } },
    { 'idempotency-key': 'e2e-payments-claim' });
  for (const kind of claim.missing_documents) {
    const form = new FormData();
    form.append('kind', kind);
    form.append('file', new Blob([PDF], { type: 'application/pdf' }), `${kind}.pdf`);
    await call('POST', `/api/v1/me/claims/${claim.id}/documents`, token, form);
  }
  await call('POST', `/api/v1/me/claims/${claim.id}/submit`, token, null, { 'idempotency-key': 'e2e-payments-submit' });
  return { id: claim.id, token };
}

test('an administrator batches an approved claim, exports the bank file and marks it paid', async () => {
  const claim = await submittedClaim(portal.baseURL);
  const context = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: 'vi-VN' });
  context.setDefaultTimeout(10_000);
  const found = [];
  try {
    const page = await context.newPage();
    await signInAdmin(page, portal.baseURL);

    // Approve the claim on its page.
    await page.goto(`${portal.baseURL}/admin/claims/${claim.id}`);
    await page.getByRole('button', { name: t('claims.admin.review') }).click();
    await page.getByRole('button', { name: t('enrol.admin.approve') }).waitFor();
    await page.fill('#amount', '5060000');
    await page.getByRole('button', { name: t('enrol.admin.approve') }).click();
    await page.locator('.lead .tag', { hasText: t('status.approved') }).waitFor();

    // The payments area, from the admin home.
    await page.goto(`${portal.baseURL}/admin`);
    await page.locator('a[href="/admin/payments"]').click();
    await page.waitForURL((url) => url.pathname === '/admin/payments');
    await page.getByRole('heading', { level: 1, name: t('payments.title') }).waitFor();
    await scan(page, 'payments (no run yet, vi)', found);

    await page.getByRole('button', { name: t('payments.new_run') }).click();
    await page.waitForURL((url) => /^\/admin\/payments\/[0-9a-f-]{36}$/.test(url.pathname));
    const runPath = new URL(page.url()).pathname;
    const main = await page.locator('main').innerText();
    assert.ok(main.includes('•••• 4567') && main.includes('Vietcombank'), main);
    assert.ok(!main.includes(NUMBER), 'the page shows only the last four digits');
    await scan(page, 'payment run (draft, vi)', found);

    // A second click finds nothing left to batch.
    await page.goto(`${portal.baseURL}/admin/payments`);
    await page.getByRole('button', { name: t('payments.new_run') }).click();
    await page.locator('.error-summary').getByText(t('payments.nothing_waiting')).waitFor();
    await scan(page, 'payments (nothing waiting, vi)', found);
    assert.equal(await page.locator(`a[href="${runPath}"]`).count(), 1);

    // Download the transfer file.
    await page.goto(portal.baseURL + runPath);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: t('payments.export.button') }).click(),
    ]);
    const stream = await download.createReadStream();
    let csv = '';
    for await (const chunk of stream) csv += chunk;
    assert.match(download.suggestedFilename(), /^PR-\d{4}-\d{2}-\d{2}-001\.csv$/);
    assert.ok(csv.includes(`,970436,${NUMBER},NGUYEN VAN AN,`) && csv.includes(',5060000,BHXH '), csv);

    // The exported run, with its settling forms, in English too.
    await page.goto(`${portal.baseURL}${runPath}?lang=en`);
    await page.locator('.lead .tag', { hasText: en('payments.status.exported') }).waitFor();
    await scan(page, 'payment run (exported, en)', found);

    // Mark it paid (today's date is filled in).
    await page.goto(`${portal.baseURL}${runPath}?lang=vi`);
    await page.fill('#bank_reference', 'VCB-E2E-1');
    await page.getByRole('button', { name: t('payments.paid.button') }).click();
    await page.locator('.lead .tag', { hasText: t('payments.status.closed') }).waitFor();
    await scan(page, 'payment run (closed, vi)', found);

    await page.goto(`${portal.baseURL}${runPath}?lang=en`);
    await page.locator('.lead .tag', { hasText: en('payments.status.closed') }).waitFor();
    await scan(page, 'payment run (closed, en)', found);
    await page.goto(`${portal.baseURL}/admin/payments?lang=en`);
    await page.getByRole('heading', { level: 1, name: en('payments.title') }).waitFor();
    await scan(page, 'payments (en)', found);

    // The citizen sees it paid, with the date and the bank's reference.
    const response = await fetch(`${portal.baseURL}/api/v1/me/claims/${claim.id}`, { headers: { authorization: `Bearer ${claim.token}` } });
    const seen = await response.json();
    assert.equal(seen.status, 'paid');
    assert.equal(seen.decision.payment_reference, 'VCB-E2E-1');
    assert.match(seen.decision.paid_on, /^\d{4}-\d{2}-\d{2}$/);
  } finally {
    await context.close();
  }
  assert.deepEqual(found, [], 'no accessibility violations');
});

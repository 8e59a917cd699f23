// A maternity claim on a phone: the demo citizen starts it from the pages on a 360-px screen,
// fills in the form, uploads two documents (the birth certificate and a photo) and submits it.
// The administrator takes it into review, approves it and marks it paid; the citizen sees the
// decision. Every page on the way is scanned with axe-core, the citizen's in both languages.
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

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
// A 1×1 PNG, as a phone photo would arrive (type read from the bytes, not the name).
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

test('a maternity claim filed on a phone, decided and paid by staff', async () => {
  const t = (key) => CATALOG.vi[key];
  const vi = (key) => CATALOG.vi[key];
  const found = [];
  const phone = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'vi-VN' });
  phone.setDefaultTimeout(10_000);
  let claimPath;
  try {
    const mine = await phone.newPage();
    await mine.goto(`${portal.baseURL}/login?lang=vi&next=/account/claims`);
    await mine.fill('#login', 'an.nguyen@demo.ansinh.vn');
    await mine.fill('#password', 'mua-xuan-tren-pho-2026');
    await mine.locator('main button[type=submit]').click();
    await mine.getByRole('link', { name: vi('claims.list.start') }).click();
    await scan(mine, 'choose a claim', found);
    await mine.getByRole('link', { name: vi('claims.kind.maternity') }).click();
    await mine.getByRole('radio', { name: vi('claims.value.birth'), exact: true }).check();
    await mine.fill('#event_date', '2026-11-02');
    await mine.fill('#children', '1');
    await mine.fill('#leave_from', '2026-11-02');
    await scan(mine, 'maternity form', found);
    await mine.getByRole('button', { name: vi('claims.form.save') }).click();
    await mine.locator('#documents').waitFor();
    claimPath = new URL(mine.url()).pathname;
    assert.match(claimPath, /^\/account\/claims\/[0-9a-f-]{36}$/);
    await mine.locator('#documents-missing').waitFor();
    await scan(mine, 'claim draft', found);

    // Two documents: the birth certificate, then a photo as another paper.
    await mine.selectOption('#kind', 'birth_certificate');
    await mine.setInputFiles('#file', { name: 'giay-chung-sinh.pdf', mimeType: 'application/pdf', buffer: PDF });
    await mine.getByRole('button', { name: vi('claims.show.upload') }).click();
    await mine.getByRole('link', { name: 'giay-chung-sinh.pdf' }).waitFor();
    assert.equal(await mine.locator('#documents-missing').count(), 0);
    await mine.selectOption('#kind', 'other');
    await mine.setInputFiles('#file', { name: 'anh-so-khai-sinh.png', mimeType: 'image/png', buffer: PNG });
    await mine.getByRole('button', { name: vi('claims.show.upload') }).click();
    await mine.getByRole('link', { name: 'anh-so-khai-sinh.png' }).waitFor();
    await scan(mine, 'claim with documents', found);

    await mine.getByRole('button', { name: vi('enrol.submit') }).click();
    await mine.locator('.lead .tag', { hasText: vi('status.submitted') }).waitFor();
    assert.equal(await mine.locator(`a[href="${claimPath}/edit"]`).count(), 0);
    await scan(mine, 'claim submitted', found);

    // A lump sum shows the comparison with staying in the system before it can be submitted.
    await mine.goto(`${portal.baseURL}/account/claims/new/lump_sum`);
    await mine.getByRole('radio', { name: vi('claims.value.out_of_si_twelve_months'), exact: true }).check();
    await mine.getByRole('button', { name: vi('claims.form.save') }).click();
    await mine.locator('#comparison').waitFor();
    await mine.getByRole('button', { name: vi('enrol.submit') }).click();
    await mine.locator('.error-summary a[href="#comparison-confirm"]').waitFor();
    await scan(mine, 'lump sum with its comparison', found);
    await mine.getByRole('button', { name: vi('claims.comparison.confirm') }).click();
    await mine.locator('#comparison').waitFor();
    assert.equal(await mine.getByRole('button', { name: vi('claims.comparison.confirm') }).count(), 0);
  } finally {
    await phone.close();
  }
  const claim = { id: claimPath.split('/').pop() };

  const context = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: 'vi-VN' });
  context.setDefaultTimeout(10_000);
  try {
    const page = await context.newPage();
    await signInAdmin(page, portal.baseURL);
    await page.locator('a[href="/admin/queue"]').click();
    await scan(page, 'work queue', found);
    await page.locator(`a[href="/admin/claims/${claim.id}"]`).click();
    await page.getByRole('heading', { level: 1 }).waitFor();
    await scan(page, 'claim review', found);
    await page.getByRole('button', { name: t('claims.admin.review') }).click();
    await page.getByRole('button', { name: t('enrol.admin.approve') }).waitFor();
    await page.fill('#amount', '5060000');
    await page.getByRole('button', { name: t('enrol.admin.approve') }).click();
    await page.getByRole('button', { name: t('claims.admin.mark_paid') }).waitFor();
    await scan(page, 'claim approved', found);

    // The citizen, on the phone again, sees it approved with the amount.
    const citizen = await browser.newContext({ viewport: { width: 360, height: 740 } });
    try {
      const mine = await citizen.newPage();
      await mine.goto(`${portal.baseURL}/login?lang=vi&next=/account/claims/${claim.id}`);
      await mine.fill('#login', 'an.nguyen@demo.ansinh.vn');
      await mine.fill('#password', 'mua-xuan-tren-pho-2026');
      await mine.locator('main button[type=submit]').click();
      await mine.locator('.lead .tag', { hasText: t('status.approved') }).waitFor();
      await mine.getByRole('region', { name: t('claims.show.decision') }).getByText('5.060.000 ₫', { exact: true }).first().waitFor();
      await scan(mine, 'citizen claim approved (vi)', found);

      // Paid: the citizen sees the payment's reference, in both languages.
      await page.fill('#reference', 'CK-E2E-0001');
      await page.fill('#paid_on', new Date().toISOString().slice(0, 10));
      await page.getByRole('button', { name: t('claims.admin.mark_paid') }).click();
      await page.getByText(t('status.paid')).first().waitFor();
      await scan(page, 'claim paid', found);
      await mine.reload();
      await mine.getByText('CK-E2E-0001').waitFor();
      await mine.goto(`${portal.baseURL}/account/claims/${claim.id}?lang=en`);
      await mine.locator('.lead .tag', { hasText: CATALOG.en['status.paid'] }).waitFor();
      await scan(mine, 'citizen claim paid (en)', found);
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

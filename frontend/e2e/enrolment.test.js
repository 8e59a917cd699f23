// A household registers for health insurance on a phone: the demo citizen lists three people
// (their own employer card leaves them out), checks the answers and submits; the administrator
// approves it; the citizen sees the schedule. Every page is scanned with axe-core in Vietnamese,
// and the citizen's pages again in English.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CATALOG, launchBrowser, scan, signInAdmin, startPortal } from './harness.js';

const CITIZEN = { login: 'an.nguyen@demo.ansinh.vn', password: 'mua-xuan-tren-pho-2026' };

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

async function signIn(page, lang) {
  await page.goto(`${portal.baseURL}/login?lang=${lang}&next=/account/enrolments`);
  await page.fill('#login', CITIZEN.login);
  await page.fill('#password', CITIZEN.password);
  await page.locator('main button[type=submit]').click();
  await page.waitForURL((url) => url.pathname === '/account/enrolments');
}

test('household health insurance with three members, from draft to approved', async () => {
  const t = (key) => CATALOG.vi[key];
  const found = [];
  const citizen = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const staff = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: 'vi-VN' });
  citizen.setDefaultTimeout(10_000);
  staff.setDefaultTimeout(10_000);
  try {
    const page = await citizen.newPage();
    await signIn(page, 'vi');
    await scan(page, 'enrolments', found);
    await page.locator('a[href="/account/enrolments/new?kind=household_hi"]').click();
    await page.getByRole('heading', { level: 1, name: t('enrol.household.title') }).waitFor();
    await scan(page, 'household form', found);

    const members = [
      ['001090123456', 'Nguyễn Văn An', '1990-05-12', 'self'],
      ['001190999001', 'Trần Thị Bình', '1990-03-01', 'spouse'],
      ['001220999002', 'Nguyễn Minh Châu', '2020-09-02', 'child'],
    ];
    for (const [i, [id, name, born, relationship]] of members.entries()) {
      await page.fill(`#m${i}_personal_id`, id);
      await page.fill(`#m${i}_full_name`, name);
      await page.fill(`#m${i}_birth_date`, born);
      await page.selectOption(`#m${i}_relationship`, relationship);
    }
    await page.selectOption('#payment_mode', 'yearly');
    await page.getByRole('button', { name: t('enrol.save_continue') }).click();
    await page.waitForURL((url) => url.pathname.endsWith('/check'));
    await scan(page, 'check your answers', found);
    // The citizen's own employer card leaves them out; two people are priced in discount
    // order: 4.5% × 2,530,000 = 113,850 and 70% of it, 79,695; 193,545 × 12 = 2,322,540.
    await page.getByText(t('enrol.covered_by')).waitFor();
    await page.getByText('2.322.540 ₫').waitFor();
    const enrolment = new URL(page.url()).pathname.replace(/\/check$/, '');
    await page.getByRole('button', { name: t('enrol.submit') }).click();
    await page.waitForURL((url) => url.search === '?submitted=1');
    await page.getByText(t('enrol.notice.submitted')).waitFor();
    await scan(page, 'submitted', found);

    const admin = await staff.newPage();
    await signInAdmin(admin, portal.baseURL);
    await admin.locator('a[href="/admin/queue"]').click();
    await scan(admin, 'staff queue', found);
    await admin.locator(`a[href="/admin${enrolment.replace('/account', '')}"]`).click();
    await admin.getByRole('heading', { level: 1 }).waitFor();
    await scan(admin, 'staff review', found);
    await admin.getByRole('button', { name: t('enrol.admin.approve') }).click();
    await admin.locator('.tag-approved').waitFor();
    await scan(admin, 'staff approved', found);

    await page.goto(portal.baseURL + enrolment);
    await page.locator('.tag-approved').waitFor();
    await page.getByRole('heading', { name: t('enrol.schedule') }).waitFor();
    await scan(page, 'approved', found);

    // The same pages in English.
    await page.goto(`${portal.baseURL}${enrolment}?lang=en`);
    await page.getByRole('heading', { name: CATALOG.en['enrol.schedule'] }).waitFor();
    await scan(page, 'approved (en)', found);
    await page.goto(`${portal.baseURL}/account/enrolments/new?kind=voluntary_si&lang=en`);
    await page.getByRole('heading', { level: 1, name: CATALOG.en['enrol.voluntary.title'] }).waitFor();
    await scan(page, 'voluntary form (en)', found);
    assert.deepEqual(found, [], 'accessibility violations');
  } finally {
    await citizen.close();
    await staff.close();
  }
});

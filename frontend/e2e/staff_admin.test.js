// An administrator manages staff in a real browser: opens /admin/staff, invites a clerk, changes
// their role, then searches the audit log at /admin/audit for the change and verifies the chain.
// Every page is scanned with axe-core, in Vietnamese and in English.
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

const t = (key) => CATALOG.vi[key];

test('an administrator invites a clerk, changes the role and finds it in the audit log', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN' });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const found = [];
  try {
    await signInAdmin(page, portal.baseURL);
    await page.locator('a[href="/admin/staff"]').click();
    await page.waitForURL((url) => url.pathname === '/admin/staff');
    await scan(page, 'staff list', found);

    // An invitation with a mistake first: the form says what is wrong, and stays accessible.
    await page.fill('#email', 'khong-phai-email');
    await page.fill('#full_name', 'Phạm Thị Dung');
    await page.getByRole('button', { name: t('staff_admin.invite_button') }).click();
    await page.locator('.error-summary').waitFor();
    await scan(page, 'invitation with an error', found);

    const email = `chuyenvien${Date.now()}@vss.example.vn`;
    await page.fill('#email', email);
    await page.selectOption('#role', 'clerk');
    await page.getByRole('button', { name: t('staff_admin.invite_button') }).click();
    await page.waitForURL((url) => /^\/admin\/staff\/[0-9a-f-]{36}$/.test(url.pathname));
    await page.locator('.notice[role=status]', { hasText: t('staff_admin.invited') }).waitFor();
    const member = new URL(page.url()).pathname;
    const id = member.split('/').pop();
    await scan(page, 'new staff member', found);

    await page.selectOption('#role', 'approver');
    await page.getByRole('button', { name: t('staff_admin.save_role') }).click();
    await page.waitForURL((url) => url.pathname === member && !url.searchParams.has('invited'));
    assert.equal(await page.inputValue('#role'), 'approver');
    assert.equal(await page.inputValue('input[name=version] >> nth=0'), '2');

    await page.goto(`${portal.baseURL}/admin/staff`);
    assert.equal(await page.locator('tbody tr', { hasText: email }).count(), 1);

    // The audit log: the role change, found by its action and subject.
    await page.goto(`${portal.baseURL}/admin/audit`);
    await scan(page, 'audit log', found);
    await page.fill('#action', 'staff.');
    await page.fill('#subject', `account:${id}`);
    await page.getByRole('button', { name: t('audit_log.search_button'), exact: true }).click();
    await page.waitForURL((url) => url.searchParams.get('action') === 'staff.');
    const actions = await page.locator('tbody td[data-label="' + t('audit_log.col.what') + '"]').allInnerTexts();
    assert.deepEqual(actions, ['staff.role_change', 'staff.invite']);
    await scan(page, 'audit search', found);

    await page.getByRole('button', { name: t('audit_log.verify.button') }).click();
    await page.locator('#verification[data-outcome=intact]').waitFor();
    await scan(page, 'audit verified', found);

    // The same pages in English, and on a 320 px screen.
    for (const path of ['/admin/staff', member, '/admin/audit?action=staff.']) {
      await page.goto(`${portal.baseURL}${path}${path.includes('?') ? '&' : '?'}lang=en`);
      await page.locator('html[lang=en]').waitFor();
      await scan(page, `${path} in English`, found);
    }
    await page.setViewportSize({ width: 320, height: 800 });
    for (const path of ['/admin/staff', member, '/admin/audit?action=staff.']) {
      await page.goto(`${portal.baseURL}${path}`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `${path} scrolls sideways at 320 px by ${overflow}px`);
    }
    assert.deepEqual(found, [], 'accessibility violations');
  } finally {
    await context.close();
  }
});

// Four-eyes on the pages: the demo citizen files a maternity claim; the demo clerk finds it in
// the work queue, takes it, reviews it beside the citizen's book and proposes the amount the
// rules computed; the demo approver sees it waiting for a second person and approves it; the
// citizen sees the decision with what it was based on, and how to appeal. Every page on the
// way is scanned with axe-core.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { APPROVER, CATALOG, CLERK, launchBrowser, scan, signInAdmin, signInStaff, startPortal } from './harness.js';

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

test('a clerk proposes, an approver approves, the citizen sees the decision and its inputs', async () => {
  const vi = (key) => CATALOG.vi[key];
  const en = (key) => CATALOG.en[key];
  const found = [];
  const citizen = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'vi-VN' });
  citizen.setDefaultTimeout(10_000);
  const mine = await citizen.newPage();
  await mine.goto(`${portal.baseURL}/login?lang=vi&next=/account/claims/new/maternity`);
  await mine.fill('#login', 'an.nguyen@demo.ansinh.vn');
  await mine.fill('#password', 'mua-xuan-tren-pho-2026');
  await mine.locator('main button[type=submit]').click();
  await mine.getByRole('radio', { name: vi('claims.value.birth'), exact: true }).check();
  await mine.fill('#event_date', '2026-11-02');
  await mine.fill('#children', '1');
  await mine.fill('#leave_from', '2026-11-02');
  await mine.getByRole('button', { name: vi('claims.form.save') }).click();
  await mine.locator('#documents').waitFor();
  const claimPath = new URL(mine.url()).pathname;
  const id = claimPath.split('/').pop();
  await mine.selectOption('#kind', 'birth_certificate');
  await mine.setInputFiles('#file', { name: 'giay-chung-sinh.pdf', mimeType: 'application/pdf', buffer: PDF });
  await mine.getByRole('button', { name: vi('claims.show.upload') }).click();
  await mine.getByRole('link', { name: 'giay-chung-sinh.pdf' }).waitFor();
  await mine.getByRole('button', { name: vi('enrol.submit') }).click();
  await mine.locator('.lead .tag', { hasText: vi('status.submitted') }).waitFor();

  // The clerk: queue, take, review beside the book, propose.
  const clerkContext = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN' });
  clerkContext.setDefaultTimeout(10_000);
  const clerk = await clerkContext.newPage();
  await signInStaff(clerk, portal.baseURL, CLERK);
  await scan(clerk, 'admin home (clerk)', found);
  await clerk.locator('a[href="/admin/queue"]').click();
  const row = clerk.locator('tr', { has: clerk.locator(`a[href="/admin/claims/${id}"]`) });
  await row.waitFor();
  await scan(clerk, 'work queue', found);
  await row.getByRole('button', { name: vi('queue.take') }).click();
  await clerk.locator('tr', { has: clerk.locator(`a[href="/admin/claims/${id}"]`) }).getByRole('button', { name: vi('queue.release') }).waitFor();
  await clerk.goto(`${portal.baseURL}/admin/queue?assignee=me`);
  await clerk.locator(`a[href="/admin/claims/${id}"]`).click();
  await clerk.getByRole('heading', { level: 2, name: vi('review.book') }).waitFor();
  await clerk.locator('details.document-view summary').first().click();
  await scan(clerk, 'claim review (clerk)', found);
  await clerk.getByRole('button', { name: vi('claims.admin.review') }).click();
  await clerk.getByRole('button', { name: vi('review.propose') }).waitFor();
  // The clerk cannot approve: the button is not there.
  assert.equal(await clerk.getByRole('button', { name: vi('enrol.admin.approve') }).count(), 0);
  const computed = await clerk.inputValue('#amount');
  assert.match(computed, /^[0-9]+$/, 'the rules computed an amount');
  await clerk.getByRole('button', { name: vi('review.propose') }).click();
  await clerk.getByText(vi('review.proposal')).waitFor();
  await scan(clerk, 'claim proposed', found);

  // The approver: the queue says it waits for a second person; approve the proposal.
  const approverContext = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
  approverContext.setDefaultTimeout(10_000);
  const approver = await approverContext.newPage();
  await signInStaff(approver, portal.baseURL, APPROVER);
  await approver.goto(`${portal.baseURL}/admin/queue?type=claim&lang=en`);
  const waiting = approver.locator('tr', { has: approver.locator(`a[href="/admin/claims/${id}"]`) });
  await waiting.getByText(en('queue.awaiting_approval')).waitFor();
  await scan(approver, 'work queue (en)', found);
  await approver.locator(`a[href="/admin/claims/${id}"]`).click();
  await approver.getByRole('button', { name: en('review.approve_proposal') }).click();
  await approver.locator('.lead .tag', { hasText: en('status.approved') }).waitFor();
  await scan(approver, 'claim approved (en)', found);

  // The citizen sees the decision and what it was based on, and how to appeal.
  await mine.goto(`${portal.baseURL}${claimPath}?lang=vi`);
  await mine.locator('.lead .tag', { hasText: vi('status.approved') }).waitFor();
  await mine.getByRole('heading', { level: 3, name: vi('claims.decision.inputs') }).waitFor();
  const amount = Number(computed).toLocaleString('de-DE');
  await mine.getByRole('region', { name: vi('claims.show.decision') }).getByText(`${amount} ₫`, { exact: true }).first().waitFor();
  await mine.getByRole('button', { name: vi('claims.appeal.button') }).waitFor();
  await scan(mine, 'citizen decision with inputs (vi)', found);
  await mine.goto(`${portal.baseURL}${claimPath}?lang=en`);
  await mine.getByRole('heading', { level: 3, name: en('claims.decision.inputs') }).waitFor();
  await scan(mine, 'citizen decision with inputs (en)', found);
  await citizen.close();
  await clerkContext.close();
  await approverContext.close();
  assert.deepEqual(found, [], 'accessibility violations');
});

// Every admin page that needs no id, as the administrator, in both languages (pages with an
// id are scanned by the flows that reach them: claims, registrations, content, flags,
// payments, staff).
test('every admin page passes axe in Vietnamese and English', async () => {
  const found = [];
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  await signInAdmin(page, portal.baseURL);
  const pages = ['/admin', '/admin/queue', '/admin/flags', '/admin/payments', '/admin/stats',
    '/admin/stats/targets', '/admin/staff', '/admin/audit', '/admin/clients', '/admin/policy',
    '/admin/content', '/admin/content/new?kind=article&language=vi', '/admin/questions'];
  for (const lang of ['vi', 'en']) {
    for (const path of pages) {
      const response = await page.goto(`${portal.baseURL}${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
      assert.equal(response.status(), 200, `${path} answers 200`);
      await page.getByRole('heading', { level: 1 }).waitFor();
      await scan(page, `${path} (${lang})`, found);
    }
  }
  await context.close();
  assert.deepEqual(found, [], 'accessibility violations');
});

// Policy information on a phone: a visitor searches "thai san" (no accents) from the home page,
// opens the maternity procedure, follows its link to the online form, signs in and lands on the
// maternity claim form. The pages are scanned with axe-core in Vietnamese and in English.
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

test('search from the home page, open a procedure and follow it to the online form', async () => {
  const vi = (key) => CATALOG.vi[key];
  const en = (key) => CATALOG.en[key];
  const found = [];
  const phone = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'vi-VN' });
  phone.setDefaultTimeout(10_000);
  try {
    const page = await phone.newPage();
    await page.goto(`${portal.baseURL}/?lang=vi`);
    await page.getByLabel(vi('content.search.label')).fill('thai san');
    await page.getByRole('button', { name: vi('content.search.button'), exact: true }).click();
    await page.getByRole('heading', { level: 1, name: vi('content.search.title') }).waitFor();
    const first = page.locator('main .results a').first();
    assert.match(await first.textContent(), /thai sản/i);
    assert.ok(await page.locator('main .results mark').count() > 0, 'the words are marked');
    await scan(page, 'search results (vi)', found);
    await page.locator('main .results a[href="/procedures/AS-05"]').click();
    await page.getByRole('heading', { level: 1 }).waitFor();
    assert.match(await page.getByRole('heading', { level: 1 }).textContent(), /thai sản/i);
    await scan(page, 'procedure (vi)', found);
    // Readable on a 320-px screen: nothing wider than the screen.
    await page.setViewportSize({ width: 320, height: 640 });
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 320), 'no sideways scrolling at 320 px');
    await page.setViewportSize({ width: 360, height: 740 });

    // The procedure leads to its online form, through sign-in.
    await page.getByRole('link', { name: vi('content.procedure.online') }).click();
    await page.fill('#login', 'an.nguyen@demo.ansinh.vn');
    await page.fill('#password', 'mua-xuan-tren-pho-2026');
    await page.locator('main button[type=submit]').click();
    await page.waitForURL(/\/account\/claims\/new\/maternity$/);
    await page.getByRole('heading', { level: 1, name: vi('claims.kind.maternity') }).waitFor();

    // The same in English, signed in: FAQ and the procedure list.
    await page.goto(`${portal.baseURL}/search?q=unemployment+benefit&lang=en`);
    await page.locator('main .results a[href="/procedures/AS-09"]').waitFor();
    await scan(page, 'search results (en)', found);
    await page.goto(`${portal.baseURL}/procedures/AS-09?lang=en`);
    await page.getByRole('link', { name: en('content.procedure.online') }).waitFor();
    await scan(page, 'procedure (en)', found);
    await page.goto(`${portal.baseURL}/faq?lang=en`);
    await page.getByRole('heading', { level: 1, name: en('content.faq.title') }).waitFor();
    await scan(page, 'faq (en)', found);
    await page.goto(`${portal.baseURL}/procedures?lang=vi`);
    await scan(page, 'procedures (vi)', found);
    await page.goto(`${portal.baseURL}/articles?lang=vi`);
    await page.locator('main .results a').first().click();
    await page.getByRole('heading', { level: 1 }).waitFor();
    await scan(page, 'article (vi)', found);

    // Not answered there: the citizen asks, staff answer.
    await page.goto(`${portal.baseURL}/faq?lang=vi`);
    await page.getByRole('link', { name: vi('questions.ask.link') }).click();
    await scan(page, 'ask a question (vi)', found);
    await page.selectOption('#topic', 'unemployment');
    await page.fill('#body', 'Tôi nghỉ việc tháng trước, bao lâu thì nhận được trợ cấp thất nghiệp?');
    await page.getByRole('button', { name: vi('questions.ask.submit') }).click();
    await page.getByRole('heading', { level: 1, name: vi('questions.mine.title') }).waitFor();
    await scan(page, 'my questions (vi)', found);
  } finally {
    await phone.close();
  }
  const desk = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: 'vi-VN' });
  desk.setDefaultTimeout(10_000);
  try {
    const page = await desk.newPage();
    await signInAdmin(page, portal.baseURL);
    await page.goto(`${portal.baseURL}/admin/questions`);
    await scan(page, 'questions queue', found);
    await page.locator('main a[href^="/admin/questions/"]').first().click();
    await page.fill('#answer', 'Trung tâm Dịch vụ việc làm quyết định trong khoảng 15–20 ngày làm việc.');
    await scan(page, 'question to answer', found);
    await page.getByRole('button', { name: vi('questions.admin.send_answer') }).click();
    await page.getByRole('heading', { level: 1 }).waitFor();
    await scan(page, 'question answered', found);
  } finally {
    await desk.close();
  }
  assert.deepEqual(found, [], 'accessibility violations');
});

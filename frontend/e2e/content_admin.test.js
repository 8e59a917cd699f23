// An administrator edits policy content in a real browser at /admin/content: filters the list,
// writes a new article, previews it (the preview shows the rendered page, nothing is saved), saves
// and publishes it, edits it, compares revision 1 with the current text and restores it; the
// public page follows. Every state of the pages is scanned with axe-core, in both languages.
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

test('an administrator writes, previews, publishes, edits and restores an article', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN' });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const found = [];
  try {
    await signInAdmin(page, portal.baseURL);
    await page.locator('a[href="/admin/content"]').click();
    await page.waitForURL((url) => url.pathname === '/admin/content');
    await scan(page, 'content list', found);

    // Only Vietnamese FAQ entries.
    await page.selectOption('#kind', 'faq');
    await page.selectOption('#language', 'vi');
    await page.getByRole('button', { name: t('content.admin.filter') }).click();
    await page.waitForURL((url) => url.searchParams.get('kind') === 'faq');
    const kinds = await page.locator('tbody td[data-label="' + t('content.admin.kind') + '"]').allInnerTexts();
    assert.ok(kinds.length > 0 && kinds.every((k) => k === t('content.kind.faq')), kinds.join(', '));

    // A new Vietnamese article.
    await page.getByRole('button', { name: t('content.admin.new.article') }).click();
    await page.waitForURL((url) => url.pathname === '/admin/content/new');
    await page.fill('#title', 'Lịch chi trả lương hưu tháng tới');
    await page.fill('#category', 'pension');
    await page.fill('#body_md', '## Ngày chi trả\n\nTừ ngày **5** hằng tháng.\n\n<script>window.hacked = true</script>');
    await page.getByRole('button', { name: t('content.admin.action.preview') }).click();
    await page.locator('#preview').waitFor();
    assert.equal(await page.locator('#preview h2', { hasText: 'Ngày chi trả' }).count(), 1);
    assert.equal(await page.locator('#preview strong', { hasText: '5' }).count(), 1);
    assert.equal(await page.evaluate(() => window.hacked), undefined, 'the script did not run');
    await scan(page, 'new article preview', found);

    await page.getByRole('button', { name: t('content.admin.action.save') }).click();
    await page.locator('.notice[role=status]').waitFor();
    const edit = new URL(page.url()).pathname;
    assert.match(edit, /^\/admin\/content\/[0-9a-f-]{36}$/);
    await scan(page, 'saved draft', found);
    const slug = await page.inputValue('#slug');
    assert.equal(slug, 'lich-chi-tra-luong-huu-thang-toi');
    assert.equal((await fetch(`${portal.baseURL}/articles/${slug}`)).status, 404);

    await page.getByRole('button', { name: t('content.admin.action.publish') }).click();
    await page.locator('.notice[role=status]', { hasText: t('content.admin.done.publish') }).waitFor();
    assert.equal((await fetch(`${portal.baseURL}/articles/${slug}`)).status, 200);

    // Edited while published: the change goes live with the save.
    await page.fill('#body_md', '## Ngày chi trả\n\nTừ ngày **10** hằng tháng.');
    await page.getByRole('button', { name: t('content.admin.action.save_published') }).click();
    await page.locator('.notice[role=status]', { hasText: '2' }).waitFor();
    assert.match(await (await fetch(`${portal.baseURL}/articles/${slug}`)).text(), /<strong>10<\/strong>/);

    // Revision 1 against the current text, then restored.
    await page.locator(`a[href="${edit}/revisions/1"]`).click();
    await page.locator('ol.diff').first().waitFor();
    assert.equal(await page.locator('ol.diff del', { hasText: 'Từ ngày **5** hằng tháng.' }).count(), 1);
    assert.equal(await page.locator('ol.diff ins', { hasText: 'Từ ngày **10** hằng tháng.' }).count(), 1);
    await scan(page, 'revision diff', found);
    await page.getByRole('button', { name: t('content.admin.action.restore').replace('{revision}', '1') }).click();
    await page.waitForURL((url) => url.pathname === edit && url.searchParams.get('done') === 'restore');
    assert.match(await (await fetch(`${portal.baseURL}/articles/${slug}`)).text(), /<strong>5<\/strong>/);

    await page.goto(`${portal.baseURL}${edit}?lang=en`);
    await page.getByRole('heading', { level: 2, name: CATALOG.en['content.admin.revisions.heading'] }).waitFor();
    await scan(page, 'edit page in English', found);
    assert.deepEqual(found, [], 'accessibility violations');
  } finally {
    await context.close();
  }
});

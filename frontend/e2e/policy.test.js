// An administrator in a real browser at /admin/policy: the parameter list, a refused row with
// its error summary, and a new dated row that the public calculator uses at once. Every state
// of the page is scanned with axe-core (WCAG 2.2 AA), in Vietnamese and in English.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AxeBuilder } from '@axe-core/playwright';
import { launchBrowser, signInAdmin, startPortal } from './harness.js';

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

async function firstMemberMonthly(onDate) {
  const response = await fetch(portal.baseURL + '/api/v1/calculators/household-hi', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ members: 1, months: 12, on_date: onDate }),
  });
  assert.equal(response.status, 200);
  return (await response.json()).members[0].monthly;
}

test('an administrator adds a dated base salary at /admin/policy', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN' });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const found = [];
  try {
    await signInAdmin(page, portal.baseURL);

    await page.locator('a[href="/admin/policy"]').click();
    await page.waitForURL((url) => url.pathname === '/admin/policy');
    assert.ok(await page.locator('tbody#base_salary').isVisible());
    found.push(...(await violations(page)));

    // The same date as a shipped row is refused, with the reason next to the field.
    await page.fill('#name', 'base_salary');
    await page.fill('#effective_from', '2026-07-01');
    await page.selectOption('#unit', 'vnd');
    await page.fill('#value', '2.800.000');
    await page.fill('#legal_basis', 'Nghị định 999/2027/NĐ-CP');
    await page.locator('main form[action="/admin/policy"] button[type=submit]').click();
    await page.locator('.error-summary').waitFor();
    assert.ok(await page.locator('#effective_from-error').isVisible());
    found.push(...(await violations(page)));

    await page.fill('#effective_from', '2027-07-01');
    await page.locator('main form[action="/admin/policy"] button[type=submit]').click();
    await page.locator('.notice[role=status]').waitFor();
    found.push(...(await violations(page)));
    assert.equal(await firstMemberMonthly('2027-08-01'), 126_000);
    assert.equal(await firstMemberMonthly('2026-08-01'), 113_850);

    await page.goto(portal.baseURL + '/admin/policy?lang=en');
    await page.getByRole('heading', { level: 1, name: 'Policy parameters' }).waitFor();
    found.push(...(await violations(page)));
    assert.deepEqual(found, [], 'accessibility violations');
  } finally {
    await context.close();
  }
});

// The insurance book in a real browser on a phone-sized screen, in both languages: the demo
// citizen logs in, sees the book with the months an employer has not paid highlighted,
// downloads the CSV, opens the printable statement, the health card with its QR code (whose
// Ed25519 signature is checked here with the published key) and the list of clinics that
// checked the card. Every page is scanned with axe-core (WCAG 2.2 AA) and must fit the phone's
// width (wide tables become labelled cards or scroll in their own region, never the page).
import assert from 'node:assert/strict';
import { createPublicKey, verify } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { CATALOG, launchBrowser, scan, startPortal } from './harness.js';

const LOGIN = 'an.nguyen@demo.ansinh.vn';
const PASSWORD = 'mua-xuan-tren-pho-2026';
const SI_CODE = '0190123456';
// The demo employer that stopped paying in August 2026 (src/demo/book.rs).
const DEBTOR = 'YN0456B';

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

/** The rows of a CSV text (RFC 4180: quoted fields, "" inside quotes, CRLF line ends). */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\r' && text[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i++; }
    else field += c;
  }
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  return rows;
}

/** Pages must not scroll sideways on the phone (a wide table scrolls in its own region at most). */
async function checkFits(page, name, found) {
  const { scrollWidth, clientWidth } = await page.evaluate(() =>
    ({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth }));
  if (scrollWidth > clientWidth) found.push(`[${name}] ${new URL(page.url()).pathname}: the page is ${scrollWidth}px wide on a ${clientWidth}px screen`);
}

async function api(path, init = {}) {
  const response = await fetch(portal.baseURL + path, init);
  const body = await response.json();
  assert.ok(response.ok, `${path} answered ${response.status}: ${JSON.stringify(body)}`);
  return body;
}

/** A clinic checks the demo citizen's card, so the access log has something to show. */
async function clinicCheck() {
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: 'demo-clinic',
    client_secret: 'demo-clinic-secret-khong-dung-that-2026',
  });
  const { access_token: token } = await api('/api/v1/oauth/token', { method: 'POST', body: form });
  const result = await api('/api/v1/health-cards/verify', {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ card_number: SI_CODE, full_name: 'Nguyễn Văn An', birth_date: '1990-05-17' }),
  });
  assert.equal(result.valid, true, JSON.stringify(result));
}

test('the QR on the card is signed with the published Ed25519 key', async () => {
  const { access_token: token } = await api('/api/v1/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: LOGIN, password: PASSWORD }),
  });
  const card = await api('/api/v1/me/health-card', { headers: { authorization: `Bearer ${token}` } });
  const published = await api('/api/v1/health-cards/public-key');
  assert.equal(published.algorithm, 'Ed25519');
  const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: published.public_key }, format: 'jwk' });
  assert.match(card.card_code, new RegExp(`^[A-Z]{2}[1-5]\\d{2}${SI_CODE}$`), 'the 15-character card code');
  const [prefix, claims, signature, ...rest] = card.qr_payload.split('.');
  assert.equal(prefix, 'HC1');
  assert.deepEqual(rest, [], 'HC1.<claims>.<signature>');
  const signed = Buffer.from(`${prefix}.${claims}`);
  const sig = Buffer.from(signature, 'base64url');
  assert.ok(verify(null, signed, key, sig), 'the signature verifies');
  assert.equal(JSON.parse(Buffer.from(claims, 'base64url')).c, card.card_code);
  // One byte in the middle of the claims changed: the signature no longer verifies.
  const tampered = Buffer.from(signed);
  tampered[prefix.length + 1 + Math.floor(claims.length / 2)] ^= 1;
  assert.ok(!verify(null, tampered, key, sig), 'one changed byte of the claims breaks it');
});

for (const lang of ['vi', 'en']) {
  test(`the demo citizen's book, CSV, statement, card and access log (${lang})`, async () => {
    const t = (key) => CATALOG[lang][key];
    const context = await browser.newContext({
      viewport: { width: 360, height: 740 },
      locale: lang === 'vi' ? 'vi-VN' : 'en-GB',
      acceptDownloads: true,
    });
    context.setDefaultTimeout(10_000);
    const requests = [];
    context.on('request', (request) => requests.push(request.url()));
    const page = await context.newPage();
    const violations = [];
    try {
      await page.goto(`${portal.baseURL}/login?lang=${lang}`);
      await page.fill('#login', LOGIN);
      await page.fill('#password', PASSWORD);
      await Promise.all([page.waitForURL((url) => url.pathname === '/account'), page.locator('main button[type=submit]').click()]);
      assert.equal(await page.getAttribute('html', 'lang'), lang);
      for (const [key, href] of [['book.title', '/account/book'], ['card.title', '/account/card'], ['access.title', '/account/access-log']]) {
        assert.equal(await page.locator('main').getByRole('link', { name: t(key), exact: true }).getAttribute('href'), href);
      }
      await scan(page, 'account', violations);
      await checkFits(page, 'account', violations);

      // The book: the unpaid months are called out first, with the employer and what to do.
      await page.getByRole('link', { name: t('book.title'), exact: true }).click();
      await page.waitForURL((url) => url.pathname === '/account/book');
      const unpaid = page.locator('section.alert[aria-labelledby="unpaid-heading"]');
      await unpaid.getByRole('heading', { level: 2, name: t('book.unpaid.title') }).waitFor();
      assert.equal(await unpaid.getByRole('heading', { level: 2 }).getAttribute('id'), 'unpaid-heading');
      assert.ok(await unpaid.isVisible(), 'the unpaid months are shown');
      const debtorRows = unpaid.locator('tbody tr', { hasText: DEBTOR });
      assert.ok(await debtorRows.count() >= 1, `an unpaid month from ${DEBTOR}`);
      assert.equal(await debtorRows.filter({ hasText: '2026-08' }).count(), 1, 'August 2026 is unpaid');
      // The period with owed months stands out from the others in the periods table.
      const owedPeriod = page.locator('#periods-heading ~ .table-wrap tbody tr.owed').first();
      await owedPeriod.waitFor();
      assert.ok((await owedPeriod.innerText()).includes(t('book.owed_short')), 'the owed months are counted');
      const background = (row) => row.evaluate((el) => getComputedStyle(el).backgroundColor);
      const plainPeriod = page.locator('#periods-heading ~ .table-wrap tbody tr:not(.owed)').first();
      assert.notEqual(await background(owedPeriod), await background(plainPeriod), 'the owed period is highlighted');
      const timeline = page.locator('svg.timeline');
      assert.equal(await timeline.getAttribute('role'), 'img');
      assert.equal(await timeline.locator('title').textContent(), t('book.timeline.title'));
      await scan(page, 'book', violations);
      await checkFits(page, 'book', violations);

      // The CSV: a file with a byte-order mark, a header row, and the owed month.
      const csvLink = page.getByRole('link', { name: t('book.csv') });
      assert.equal(await csvLink.getAttribute('href'), '/account/book.csv');
      assert.notEqual(await csvLink.getAttribute('download'), null, 'the link downloads');
      const [download] = await Promise.all([page.waitForEvent('download'), csvLink.click()]);
      assert.match(download.suggestedFilename(), new RegExp(`^so-bhxh-${SI_CODE}-.*\\.csv$`));
      const csv = await readFile(await download.path(), 'utf8');
      assert.ok(csv.startsWith('\ufeff'), 'UTF-8 byte-order mark');
      const [header, ...rows] = parseCsv(csv.slice(1));
      // month, scheme, unit code, employer, salary basis, the five funds, status, paid_on
      assert.equal(header.length, 12, `header: ${header}`);
      assert.equal(header[0], t('csv.month'));
      assert.ok(rows.length > 12 && rows.every((row) => row.length === 12), 'every row has 12 columns');
      const august = rows.find(([month, scheme, unit]) => month === '2026-08' && scheme === 'compulsory' && unit === DEBTOR);
      assert.ok(august, `a row for August 2026 from ${DEBTOR}`);
      assert.equal(august[10], 'owed');
      assert.equal(august[11], '', 'not paid on any day');

      // The printable statement.
      await page.getByRole('link', { name: t('book.statement') }).click();
      await page.getByRole('heading', { level: 1, name: t('statement.title') }).waitFor();
      assert.ok(await page.getByRole('button', { name: t('statement.print') }).isVisible(), 'print button shown with JavaScript');
      await scan(page, 'statement', violations);
      await checkFits(page, 'statement', violations);

      // The card with its QR code, from the account page.
      await page.goto(`${portal.baseURL}/account`);
      await page.locator('main').getByRole('link', { name: t('card.title'), exact: true }).click();
      await page.waitForURL((url) => url.pathname === '/account/card');
      await page.getByRole('heading', { level: 1, name: t('card.title') }).waitFor();
      const details = await page.locator('.hi-card').innerText();
      assert.match(details, new RegExp(SI_CODE));
      assert.match(details, new RegExp(`DN479${SI_CODE}`));
      assert.match(details, /\b[A-Z]{2}[1-5]\d{2}\d{10}\b/, 'a 15-character card code');
      assert.equal(await page.locator('figure.qr svg').count(), 1);
      assert.ok(await page.locator('figure.qr svg').isVisible(), 'the QR code is shown');
      await scan(page, 'card', violations);
      await checkFits(page, 'card', violations);

      // Who checked the card: as it is (empty in the first run), then after a clinic's check.
      await page.getByRole('link', { name: t('card.access_log_link') }).click();
      await page.getByRole('heading', { level: 1, name: t('access.title') }).waitFor();
      const entries = page.locator('main table tbody tr');
      const before = await entries.count();
      if (before === 0) await page.getByText(t('access.none')).waitFor();
      await scan(page, 'access log', violations);
      await checkFits(page, 'access log', violations);
      await clinicCheck();
      await page.reload();
      assert.equal(await entries.count(), before + 1, 'the check is listed');
      assert.match(await page.locator('main table').innerText(), /Phòng khám Đa khoa An Sinh/);
      await scan(page, 'access log with a check', violations);
      await checkFits(page, 'access log with a check', violations);

      const foreign = requests.filter((url) => !/^(data|blob):/.test(url) && new URL(url).hostname !== '127.0.0.1');
      assert.deepEqual(foreign, [], 'requests to hosts other than 127.0.0.1');
      assert.deepEqual(violations, [], 'accessibility problems (axe-core, page width)');
    } finally {
      await context.close();
    }
  });
}

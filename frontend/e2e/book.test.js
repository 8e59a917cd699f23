// The insurance book in a real browser on a phone-sized screen, in both languages: the demo
// citizen logs in, sees the book with the months an employer has not paid highlighted,
// downloads the CSV, opens the printable statement, the health card with its QR code (whose
// Ed25519 signature is checked here with the published key) and the list of clinics that
// checked the card. Every page is scanned with axe-core (WCAG 2.2 AA).
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
  const [prefix, claims, signature] = card.qr_payload.split('.');
  assert.equal(prefix, 'HC1');
  const signed = Buffer.from(`${prefix}.${claims}`);
  const sig = Buffer.from(signature, 'base64url');
  assert.ok(verify(null, signed, key, sig), 'the signature verifies');
  assert.equal(JSON.parse(Buffer.from(claims, 'base64url')).c, card.card_code);
  const tampered = Buffer.from(signed);
  tampered[8] ^= 1;
  assert.ok(!verify(null, tampered, key, sig), 'one changed byte breaks it');
});

for (const lang of ['vi', 'en']) {
  test(`the demo citizen's book, CSV, statement, card and access log (${lang})`, async () => {
    const t = (key) => CATALOG[lang][key];
    await clinicCheck();
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
      await scan(page, 'account', violations);

      // The book: the unpaid months are called out first, with the employer and what to do.
      await page.getByRole('link', { name: t('book.title'), exact: true }).click();
      await page.waitForURL((url) => url.pathname === '/account/book');
      const unpaid = page.locator('section.alert');
      await unpaid.getByRole('heading', { name: t('book.unpaid.title') }).waitFor();
      assert.match(await unpaid.innerText(), new RegExp(DEBTOR));
      assert.match(await unpaid.innerText(), /2026-08/);
      assert.ok(await page.locator('#periods-heading ~ .table-wrap tr.owed').count() >= 1, 'the period with owed months is highlighted');
      const timeline = page.locator('svg.timeline');
      assert.equal(await timeline.getAttribute('role'), 'img');
      assert.equal(await timeline.locator('title').textContent(), t('book.timeline.title'));
      await scan(page, 'book', violations);

      // The CSV: a file with a byte-order mark, a header row, and the owed month.
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: t('book.csv') }).click(),
      ]);
      assert.match(download.suggestedFilename(), new RegExp(`^so-bhxh-${SI_CODE}-.*\\.csv$`));
      const csv = await readFile(await download.path(), 'utf8');
      assert.ok(csv.startsWith('\ufeff'), 'UTF-8 byte-order mark');
      const lines = csv.slice(1).split('\r\n');
      assert.equal(lines[0].split(',')[0], t('csv.month'));
      const august = lines.find((line) => line.startsWith(`2026-08,compulsory,${DEBTOR},`));
      assert.ok(august, `a row for August 2026 from ${DEBTOR}`);
      assert.equal(august.split(',').at(-2), 'owed');

      // The printable statement.
      await page.getByRole('link', { name: t('book.statement') }).click();
      await page.getByRole('heading', { level: 1, name: t('statement.title') }).waitFor();
      assert.ok(await page.getByRole('button', { name: t('statement.print') }).isVisible(), 'print button shown with JavaScript');
      await scan(page, 'statement', violations);

      // The card with its QR code.
      await page.goto(`${portal.baseURL}/account/card`);
      await page.getByRole('heading', { level: 1, name: t('card.title') }).waitFor();
      const details = await page.locator('.hi-card').innerText();
      assert.match(details, new RegExp(SI_CODE));
      assert.match(details, new RegExp(`DN479${SI_CODE}`));
      assert.equal(await page.locator('figure.qr svg').count(), 1);
      await scan(page, 'card', violations);

      // Who checked the card: the demo clinic, just now.
      await page.getByRole('link', { name: t('card.access_log_link') }).click();
      await page.getByRole('heading', { level: 1, name: t('access.title') }).waitFor();
      assert.match(await page.locator('main table').innerText(), /Phòng khám Đa khoa An Sinh/);
      await scan(page, 'access log', violations);

      const foreign = requests.filter((url) => !/^(data|blob):/.test(url) && new URL(url).hostname !== '127.0.0.1');
      assert.deepEqual(foreign, [], 'requests to hosts other than 127.0.0.1');
      assert.deepEqual(violations, [], 'axe-core found accessibility violations');
    } finally {
      await context.close();
    }
  });
}

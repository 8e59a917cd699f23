// Test harness: runs the portal binary on a free port in a fresh temporary directory, reads the
// emails it writes to MAIL_DIR (.eml files, used when SMTP_URL is unset) and starts Chromium.
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { readFileSync } from 'node:fs';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium } from 'playwright-core';

const TARGET_DIR = process.env.CARGO_TARGET_DIR || `${process.env.HOME}/.cache/ansinh-target`;
const BIN = process.env.ANSINH_BIN || `${TARGET_DIR}/debug/ansinh`;

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Starts the portal; resolves once GET /readyz answers 200. Call `stop()` at the end. */
export async function startPortal() {
  const dir = await mkdtemp(join(tmpdir(), 'ansinh-e2e-'));
  const port = await freePort();
  const baseURL = `http://127.0.0.1:${port}`;
  const mailDir = join(dir, 'mail');
  const env = { ...process.env };
  delete env.DATABASE_URL;
  delete env.SMTP_URL;
  Object.assign(env, {
    BIND_ADDR: `127.0.0.1:${port}`,
    PUBLIC_URL: baseURL,
    MAIL_DIR: mailDir,
    SEED_DEMO: 'true',
    AUTH_REQUESTS_PER_MINUTE: '1000',
    LOG_FORMAT: 'json',
    RUST_LOG: 'warn',
  });
  const child = spawn(BIN, [], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (chunk) => { log += chunk; });
  child.stderr.on('data', (chunk) => { log += chunk; });
  let exited = null;
  const exit = new Promise((resolve) => child.on('exit', (code, signal) => resolve((exited = { code, signal }))));
  child.on('error', (error) => { exited = { error }; });
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);

  const stop = async () => {
    process.off('exit', killOnExit);
    if (!exited) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exit;
      clearTimeout(timer);
    }
    await rm(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) {
      await stop();
      throw new Error(`portal ${BIN} exited before it was ready: ${JSON.stringify(exited)}\n${log}`);
    }
    try {
      if ((await fetch(`${baseURL}/readyz`)).status === 200) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`portal not ready on ${baseURL}/readyz after 60 s\n${log}`);
    }
    await sleep(200);
  }

  return {
    baseURL,
    port,
    mailDir,
    stop,
    log: () => log,
    /** Polls MAIL_DIR (15 s) for an email to `to` whose subject contains `subjectIncludes`. */
    async waitForEmail(to, subjectIncludes) {
      const end = Date.now() + 15_000;
      for (;;) {
        const names = await readdir(mailDir).catch(() => []);
        for (const name of names.filter((n) => n.endsWith('.eml'))) {
          const mail = parseEmail(await readFile(join(mailDir, name)));
          const recipients = (mail.headers.to || '').toLowerCase();
          if (recipients.includes(to.toLowerCase()) && mail.subject.includes(subjectIncludes)) return mail;
        }
        if (Date.now() > end) throw new Error(`no email to ${to} with subject containing "${subjectIncludes}" in ${mailDir} (files: ${names.join(', ')})`);
        await sleep(200);
      }
    },
    /** The first link to this portal in a text. */
    firstLink(text) {
      const escaped = baseURL.replace(/[.]/g, '\\.');
      const match = text.match(new RegExp(`${escaped}/[^\\s<>"']*`));
      if (!match) throw new Error(`no ${baseURL}/… link in:\n${text}`);
      return match[0];
    },
  };
}

// --- a small RFC 822 / MIME reader: headers, multipart, quoted-printable, base64, RFC 2047 ---

function splitHeadersAndBody(raw) {
  const match = /\r?\n\r?\n/.exec(raw);
  const head = match ? raw.slice(0, match.index) : raw;
  const body = match ? raw.slice(match.index + match[0].length) : '';
  const headers = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon < 1) continue;
    // The text was read as latin1 (byte-preserving): raw UTF-8 header bytes (RFC 6532) are re-read.
    const value = Buffer.from(line.slice(colon + 1).trim(), 'latin1').toString('utf8');
    headers[line.slice(0, colon).trim().toLowerCase()] = decodeWords(value);
  }
  return { headers, body };
}

/** RFC 2047 encoded words: =?charset?B|Q?text?= (whitespace between two words is dropped). */
function decodeWords(value) {
  return value
    .replace(/(=\?[^?]+\?[BbQq]\?[^?]*\?=)\s+(?==\?)/g, '$1')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_, charset, encoding, text) => {
      const bytes = encoding.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64')
        : qpBytes(text.replace(/_/g, ' '));
      return new TextDecoder(charset).decode(bytes);
    });
}

function qpBytes(text) {
  const bytes = [];
  const soft = text.replace(/=\r?\n/g, '');
  for (let i = 0; i < soft.length; i++) {
    if (soft[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(soft.slice(i + 1, i + 3))) {
      bytes.push(parseInt(soft.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(soft.charCodeAt(i)); // the body was read as latin1, so this is one byte
    }
  }
  return Buffer.from(bytes);
}

function param(headerValue, name) {
  const match = new RegExp(`${name}="?([^";]+)"?`, 'i').exec(headerValue || '');
  return match && match[1];
}

/** Collects the leaf parts of a (possibly nested) MIME entity as {type, text}. */
function leafParts(raw) {
  const { headers, body } = splitHeadersAndBody(raw);
  const type = (headers['content-type'] || 'text/plain').split(';')[0].trim().toLowerCase();
  if (type.startsWith('multipart/')) {
    const boundary = param(headers['content-type'], 'boundary');
    const chunks = body.split(`--${boundary}`).slice(1);
    return chunks
      .filter((chunk) => !chunk.startsWith('--'))
      .flatMap((chunk) => leafParts(chunk.replace(/^\r?\n/, '')));
  }
  const encoding = (headers['content-transfer-encoding'] || '7bit').toLowerCase();
  const bytes = encoding === 'base64' ? Buffer.from(body.replace(/\s+/g, ''), 'base64')
    : encoding === 'quoted-printable' ? qpBytes(body)
    : Buffer.from(body, 'latin1');
  const charset = param(headers['content-type'], 'charset') || 'utf-8';
  return [{ type, text: new TextDecoder(charset).decode(bytes) }];
}

/** Parses an .eml file into {headers, subject, text, html}. */
export function parseEmail(buffer) {
  const raw = buffer.toString('latin1'); // byte-preserving; parts are decoded by their charset
  const { headers } = splitHeadersAndBody(raw);
  const parts = leafParts(raw);
  const text = parts.find((p) => p.type === 'text/plain')?.text ?? '';
  const html = parts.find((p) => p.type === 'text/html')?.text ?? '';
  return { headers, subject: headers.subject || '', text, html };
}

/** Headless Debian Chromium (never a downloaded browser build). */
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

/** The portal's own texts (frontend/locales), so tests follow wording changes. */
export const CATALOG = Object.fromEntries(['vi', 'en'].map((lang) =>
  [lang, JSON.parse(readFileSync(new URL(`../locales/${lang}.json`, import.meta.url), 'utf8'))]));

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** Scans the page with axe-core (WCAG 2.2 AA); violations are printed and added to `found`. */
export async function scan(page, name, found) {
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  for (const v of violations) {
    const targets = v.nodes.map((n) => n.target.join(' ')).join(' | ');
    const line = `[${name}] ${new URL(page.url()).pathname}: ${v.id} (${v.impact}) ${v.help} → ${targets}`;
    console.log(line);
    found.push(line);
  }
}

/** RFC 6238 code (SHA-1, 6 digits, 30 s) for a base32 secret, as an authenticator app makes it. */
export function totp(base32, unixSeconds = Date.now() / 1000) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of base32.replace(/=+$/, '')) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(unixSeconds / 30)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

/** The demo administrator seeded on the embedded default (README). */
export const ADMIN = { login: 'quantri@demo.ansinh.vn', password: 'quan-tri-vien-demo-2026' };
/** The demo clerk and approver (README). */
export const CLERK = { login: 'tiepnhan@demo.ansinh.vn', password: 'can-bo-tiep-nhan-2026' };
export const APPROVER = { login: 'pheduyet@demo.ansinh.vn', password: 'can-bo-phe-duyet-2026' };

/** Signs the demo administrator in on `page`, enrolling the authenticator on first use. */
export async function signInAdmin(page, baseURL) {
  await signInStaff(page, baseURL, ADMIN);
}

/** Signs a demo staff member in on `page`, enrolling the authenticator on first use. */
export async function signInStaff(page, baseURL, who) {
  await page.goto(baseURL + '/login?next=/admin');
  await page.fill('#login', who.login);
  await page.fill('#password', who.password);
  await page.locator('main button[type=submit]').click();
  await page.waitForURL((url) => url.pathname === '/admin/mfa' || url.pathname === '/admin');
  if (new URL(page.url()).pathname === '/admin/mfa') {
    const secret = (await page.locator('code.secret').innerText()).trim();
    await page.fill('#totp_code', totp(secret));
    await page.locator('main button[type=submit]').click();
    await page.waitForURL((url) => url.pathname === '/admin');
  }
}

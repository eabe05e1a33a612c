// Rounds on a phone (issue 13): how soon the app answers a tap, measured the way a new user's
// phone meets it. Debian's Chromium through Playwright and the Chrome DevTools Protocol, the CPU
// four times slower and a 9 Mbit/s, 60 ms network; each figure is the median of RUNS runs, each
// first visit in a fresh browser context (empty cache, no service worker). Prints; asserts
// nothing: speed is judged from the printed figures.
//
//   node bench/phone.mjs http://127.0.0.1:3190
//
// "Usable" is the moment a tap does something. Every control the server draws on the login page
// is a plain HTML form it handles: signing in (a person can type and sign in before the wasm
// arrives, and hydration keeps what was typed: end2end/tests/login-early.spec.ts) and the language
// switch (the server draws the page again in the other language). So the page is usable once
// painted. When the app itself runs (hydrated: it marks `<html data-hydrated>`) is printed too.
// For Today, the duties are computed from the phone's store ("计算用时 … 毫秒" is shown). The
// yardstick is a static HTML page of the login page's size, with its stylesheet, served over the
// same throttled network: usable once painted.

import { chromium } from '@playwright/test';
import http from 'node:http';

const BASE = process.argv[2] ?? process.env.ROUNDS_BENCH_URL ?? 'http://127.0.0.1:3190';
const RUNS = Number(process.env.ROUNDS_BENCH_RUNS ?? 5);
const PASSWORD = 'rounds-demo';
const CPU_SLOWDOWN = 4;
const NETWORK = { offline: false, latency: 60, downloadThroughput: (9_000_000 / 8), uploadThroughput: (9_000_000 / 8) };
// The roles whose first load is counted, each with its demo user and what its home page (`/`,
// where signing in lands: Today, or the office's desk) shows once usable. `then` is a page the
// role opens next, counted apart (the office's hub, a split-out chunk).
const ROLES = [
  { role: 'counselor', user: 'counselor', ready: 'text=/计算用时 [\\d.]+ 毫秒/' },
  { role: 'head teacher', user: 'headteacher', ready: 'text=/计算用时 [\\d.]+ 毫秒/' },
  { role: 'leader', user: 'leader', ready: 'text=/计算用时 [\\d.]+ 毫秒/' },
  { role: 'office', user: 'office', ready: 'main a.room', then: { path: '/office', ready: 'nav.office-nav' } },
];

const TODAY_COMPUTED = 'text=/计算用时 [\\d.]+ 毫秒/';

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

async function phoneContext(options = {}) {
  return browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 3, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', ...options });
}

/** A page under the phone's throttling; `network` false keeps only the CPU slowdown. */
async function throttled(context, network = true) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
  await cdp.send('Network.enable');
  if (network) await cdp.send('Network.emulateNetworkConditions', NETWORK);
  return { page, cdp };
}

/** When Today first shows its computed duties, in ms since the navigation started: read in the
 *  page, at the first animation frame that finds them, so no round trip of the DevTools protocol
 *  is counted (asking afterwards added some 50-100 ms under the CPU slowdown). */
async function todayShown(page) {
  const handle = await page.waitForFunction(
    () => /计算用时 [\d.]+ 毫秒/.test(document.querySelector('section.today')?.textContent ?? '') && performance.now(),
    undefined,
    { polling: 'raf', timeout: 60_000 },
  );
  return handle.jsonValue();
}

/** When the app has hydrated the page, in ms since navigation start, read in the page. */
async function hydratedAt(page) {
  const handle = await page.waitForFunction(() => document.documentElement.hasAttribute('data-hydrated') && performance.now(), undefined, {
    polling: 'raf',
    timeout: 60_000,
  });
  return handle.jsonValue();
}

/** The page's first contentful paint, once the browser has reported it. */
const firstPaint = (page) =>
  page.evaluate(
    () =>
      new Promise((resolve) =>
        new PerformanceObserver((list, observer) => {
          observer.disconnect();
          resolve(list.getEntries()[0].startTime);
        }).observe({ type: 'paint', buffered: true }),
      ).then((t) => t),
  );

async function logIn(page, user) {
  await page.getByLabel('用户名', { exact: true }).fill(user);
  await page.getByLabel('密码', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: '登录', exact: true }).click();
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

async function repeat(label, once) {
  const times = [];
  for (let i = 0; i < RUNS; i++) times.push(await once());
  return { label, ms: median(times), runs: times };
}

// ---- the scenarios ----

/** First visit: the login page painted (every control on it usable), and until it is hydrated. */
async function firstVisit() {
  const paints = [];
  const result = await repeat('first visit: login hydrated', async () => {
    const context = await phoneContext({ serviceWorkers: 'block' });
    const { page } = await throttled(context);
    await page.goto(`${BASE}/login`, { waitUntil: 'commit' });
    const hydrated = await hydratedAt(page);
    paints.push(await firstPaint(page));
    await context.close();
    return hydrated;
  });
  return [{ label: 'first visit: login painted, usable', ms: median(paints), runs: paints }, result];
}

/** From the tap on 登录 to Today computed from the phone's freshly pulled store. */
async function loginToToday() {
  return repeat('login to usable Today', async () => {
    const context = await phoneContext({ serviceWorkers: 'block' });
    const { page } = await throttled(context);
    await page.goto(`${BASE}/login`);
    // Hydrated, so the tap on 登录 goes through the app, as it does on a phone that waited.
    await hydratedAt(page);
    const started = Date.now();
    await logIn(page, 'counselor');
    await page.waitForSelector(TODAY_COMPUTED, { timeout: 60_000 });
    const ms = Date.now() - started;
    await context.close();
    return ms;
  });
}

/** A signed-in phone with the app cached by the service worker, as after a day's use. */
async function cachedPhone() {
  const context = await phoneContext();
  const page = await context.newPage();
  await page.goto(`${BASE}/login`, { waitUntil: 'networkidle' });
  await logIn(page, 'counselor');
  await page.waitForSelector(TODAY_COMPUTED, { timeout: 60_000 });
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.close();
  return context;
}

/** Opening the app again, online (service worker and HTTP cache warm) or offline (the shell). */
async function warmStart(offline) {
  const context = await cachedPhone();
  const result = await repeat(offline ? 'offline start: Today usable' : 'warm online start: Today usable', async () => {
    const { page } = await throttled(context, !offline);
    if (offline) await context.setOffline(true);
    await page.goto(`${BASE}/`, { waitUntil: 'commit' });
    const ms = await todayShown(page);
    await page.close();
    await context.setOffline(false);
    return ms;
  });
  await context.close();
  return result;
}

/** The yardstick: the login page's bytes as one static HTML page with its stylesheet, painted. */
async function staticPage() {
  const probe = await fetch(`${BASE}/login`);
  const html = await probe.text();
  const css = /href="(\/pkg\/[^"]+\.css)"/.exec(html)?.[1];
  const body = /<main[\s\S]*<\/main>/.exec(html)?.[0] ?? '';
  let page = `<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>yardstick</title><link rel="stylesheet" href="${BASE}${css}"></head><body>${body}</body></html>`;
  // Padded to the login page's size, so the two travel the same bytes.
  const size = Buffer.byteLength(html);
  if (Buffer.byteLength(page) < size) page = page.replace('</body>', `<!--${'.'.repeat(size - Buffer.byteLength(page) - 7)}--></body>`);
  const server = http.createServer((_, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page));
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const url = `http://127.0.0.1:${server.address().port}/`;
  const result = await repeat(`static page (${(size / 1024).toFixed(1)} KB) painted`, async () => {
    const context = await phoneContext();
    const { page: tab } = await throttled(context);
    await tab.goto(url, { waitUntil: 'load' });
    const ms = await firstPaint(tab);
    await context.close();
    return ms;
  });
  server.close();
  return result;
}

/** Bytes on the wire of each role's first load: a fresh phone (empty cache) opens /login, signs
 *  in and lands on its home page `/` (Today; the office's desk), until that page is usable. The
 *  service worker is blocked so every byte is seen by the page (it would precache the same files
 *  from the HTTP cache, and the field pages' chunks after sign-in, counted apart below). */
async function firstLoadBytes({ role, user, ready, then }) {
  const context = await phoneContext({ serviceWorkers: 'block' });
  const { page, cdp } = await throttled(context, false);
  const urls = new Map();
  const bytes = { pkg: 0, all: 0 };
  cdp.on('Network.responseReceived', (e) => urls.set(e.requestId, e.response.url));
  cdp.on('Network.loadingFinished', (e) => {
    bytes.all += e.encodedDataLength;
    if (new URL(urls.get(e.requestId) ?? BASE).pathname.startsWith('/pkg/')) bytes.pkg += e.encodedDataLength;
  });
  await page.goto(`${BASE}/login`, { waitUntil: 'networkidle' });
  await logIn(page, user);
  await page.waitForURL((u) => u.pathname === '/');
  await page.locator(ready).first().waitFor({ timeout: 60_000 });
  await page.waitForLoadState('networkidle');
  const first = { ...bytes };
  let next;
  if (then) {
    // Within the app, as a person taps through.
    await page.locator(`nav a[href="${then.path}"]`).first().click();
    await page.locator(then.ready).first().waitFor({ timeout: 60_000 });
    await page.waitForLoadState('networkidle');
    next = { path: then.path, pkg: bytes.pkg - first.pkg };
  }
  await context.close();
  return { role, ...first, next };
}

/** What the service worker fetches once someone signs in: every field page's chunk, brotli, as
 *  the server sends it (its list is in the worker's script). */
async function fieldChunkBytes() {
  const sw = await (await fetch(`${BASE}/sw.js`)).text();
  const chunks = JSON.parse(/const FIELD_CHUNKS = (\[.*\]);/.exec(sw)?.[1] ?? '[]');
  let total = 0;
  for (const path of chunks) {
    total += await new Promise((ok, fail) =>
      http.get(`${BASE}${path}`, { headers: { 'accept-encoding': 'br' } }, (res) => {
        let n = 0;
        res.on('data', (d) => (n += d.length));
        res.on('end', () => ok(n));
      }).on('error', fail),
    );
  }
  return { count: chunks.length, total };
}

// ---- print ----

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log(`phone (${BASE}): CPU x${CPU_SLOWDOWN}, 9 Mbit/s, 60 ms; median of ${RUNS} runs`);
const rows = [...(await firstVisit()), await loginToToday(), await warmStart(false), await warmStart(true), await staticPage()];
for (const r of rows) console.log(`  ${r.label.padEnd(40)} ${(r.ms / 1000).toFixed(2).padStart(6)} s   runs: ${r.runs.map((t) => (t / 1000).toFixed(2)).join(' ')}`);
const usable = rows.find((r) => r.label.startsWith('first visit: login painted'));
const hydrated = rows.find((r) => r.label.startsWith('first visit: login hydrated'));
const yardstick = rows[rows.length - 1];
console.log(`  first visit, login usable (every control works) / static page: ${(usable.ms / yardstick.ms).toFixed(1)}x (target at most 2x)`);
console.log(`  first visit, login hydrated (the app running) / static page: ${(hydrated.ms / yardstick.ms).toFixed(1)}x`);

console.log('first load per role: a fresh phone opens /login, signs in and lands on its home page / (Today; the office\'s desk), until usable;');
console.log('  bytes on the wire, brotli (/pkg/ = wasm + js + css; all = with the HTML and the API):');
for (const r of ROLES) {
  const b = await firstLoadBytes(r);
  const next = b.next ? `   then ${b.next.path}: /pkg/ +${kb(b.next.pkg)}` : '';
  console.log(`  ${b.role.padEnd(14)} /pkg/ ${kb(b.pkg).padStart(10)}   all ${kb(b.all).padStart(10)}${next}`);
}
const field = await fieldChunkBytes();
console.log(`  after sign-in, in the background: the service worker precaches the field pages' ${field.count} chunks, ${kb(field.total)}`);
await browser.close();

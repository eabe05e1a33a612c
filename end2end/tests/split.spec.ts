import { test, expect, type BrowserContext, type Page } from '@playwright/test';
import { logIn, syncStatus } from './helpers';

// The split bundle (issue 13): the office's pages are chunks of their own (app/src/split.rs), so a
// phone role's first load is the main chunk only, which the service worker precaches. Every field
// page then opens with no network at all (full navigations: the worker's shell mounts the app);
// the office's pages, after a cold start, fetch their chunk and work online.

// The main wasm is `rounds.<hash>.wasm`; a split-out chunk is any other wasm under /pkg/.
const isChunk = (url: string) => /\/pkg\/.+\.wasm$/.test(new URL(url).pathname) && !/\/pkg\/rounds\.[^/]+\.wasm$/.test(new URL(url).pathname);

function chunksFetched(page: Page): string[] {
  const chunks: string[] = [];
  page.on('request', (r) => {
    if (isChunk(r.url())) chunks.push(new URL(r.url()).pathname);
  });
  return chunks;
}

async function goOffline(context: BrowserContext) {
  await context.setOffline(true);
  // The service worker's own fetches too: nothing can quietly come from the server.
  await context.route('**/*', (route) => route.abort('internetdisconnected'));
}

// The first link on a list page that leads to one of its items, e.g. /rooms/… from /rooms.
async function firstItem(page: Page, list: string, prefix: string): Promise<string> {
  await page.goto(list);
  const link = page.locator(`main a[href^="${prefix}"]`).first();
  await expect(link).toBeVisible();
  return (await link.getAttribute('href'))!;
}

test('a counselor loads no split-out chunk, and every field page opens offline', async ({ page, context }) => {
  const chunks = chunksFetched(page);
  await logIn(page, 'counselor');
  await page.waitForURL((u) => u.pathname === '/');
  await expect(syncStatus(page)).toContainText('已全部同步', { timeout: 20_000 });
  await page.evaluate(() => navigator.serviceWorker.ready);
  if (!(await page.evaluate(() => navigator.serviceWorker.controller !== null))) await page.reload();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 15_000 });

  const room = await firstItem(page, '/rooms', '/rooms/');
  const student = await firstItem(page, '/students', '/students/');
  const klass = await firstItem(page, '/classes', '/classes/');
  const record = await firstItem(page, '/records', '/records/');
  expect(chunks, 'the field pages are all in the main chunk').toEqual([]);

  await goOffline(context);
  const fieldPages = [
    '/',
    '/rooms',
    room,
    `${room}/check`,
    `${room}/visit`,
    '/records',
    record,
    '/classes',
    klass,
    `${klass}/meeting`,
    '/students',
    student,
    `${student}/talk`,
    `${student}/parent-contact`,
    `${student}/home-visit`,
    '/duty-log',
    '/contact-log',
    '/summary',
    '/issues',
  ];
  for (const path of fieldPages) {
    await page.goto(path);
    const heading = page.getByRole('heading', { level: 1 }).first();
    await expect(heading, `${path} opens offline`).toBeVisible();
    await expect(heading, `${path} is a page of the app, not its 404`).not.toHaveText('404');
    await expect(page.getByText('加载中…'), `${path} has drawn its content from the phone`).toHaveCount(0);
  }
  expect(chunks).toEqual([]);
});

test('after a cold start the office pages fetch their chunks and work online', async ({ page }) => {
  const chunks = chunksFetched(page);
  await logIn(page, 'office');
  await page.waitForURL((u) => u.pathname === '/');
  // Each with something only its own (split-out) code draws once it knows the user: the office's
  // section links, or the import's file picker.
  const officePages: [string, string][] = [
    ['/office', 'nav.office-nav'],
    ['/office/students', 'nav.office-nav'],
    ['/office/import', 'input[type="file"]'],
    ['/office/rules', 'nav.office-nav'],
    ['/office/calendar', 'nav.office-nav'],
    ['/office/compliance', 'nav.office-nav'],
    ['/office/ledger', 'nav.office-nav'],
  ];
  for (const [path, drawn] of officePages) {
    await page.goto(path);
    await expect(page.locator('button.lang'), `${path} is hydrated`).toBeEnabled();
    await expect(page.locator(drawn).first(), `${path}: its code is loaded`).toBeAttached();
    await expect(page.getByRole('heading', { level: 1 }).first()).not.toHaveText('404');
  }
  expect(chunks.length, 'the office pages came as split-out chunks').toBeGreaterThan(0);
});

import { test, expect, type BrowserContext, type Page } from '@playwright/test';
import { expectHydrated, logIn, syncStatus } from './helpers';

// The split bundle (issue 13): the main wasm holds login and Today; every other page is a chunk
// of its own (app/src/split.rs). A phone's first load (login, then Today) fetches no chunk; once
// someone is signed in, the service worker precaches the field pages' chunks, so each field page
// opens with no network at all after a cold start (full navigations: the worker's shell mounts the
// app). The office's pages, after a cold start, fetch their chunk and work online.

// The main wasm is `rounds.<hash>.wasm`; a split-out chunk is any other wasm under /pkg/.
const isChunk = (url: string) => /\/pkg\/.+\.wasm$/.test(new URL(url).pathname) && !/\/pkg\/rounds\.[^/]+\.wasm$/.test(new URL(url).pathname);

/** The chunks the page itself fetches (the service worker's own fetches are not the page's). */
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

/** Logs in, waits for the first sync, and for the worker to control the page and hold every
 *  field page's chunk (the list it was built with, from its own script). */
async function logInWithFieldPagesCached(page: Page, user: string) {
  await logIn(page, user);
  await page.waitForURL((u) => u.pathname === '/');
  await expect(syncStatus(page)).toContainText('已全部同步', { timeout: 20_000 });
  await page.evaluate(() => navigator.serviceWorker.ready);
  if (!(await page.evaluate(() => navigator.serviceWorker.controller !== null))) await page.reload();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 15_000 });
  const sw = await (await page.request.get('/sw.js')).text();
  const fieldChunks: string[] = JSON.parse(sw.match(/const FIELD_CHUNKS = (\[.*\]);/)?.[1] ?? '[]');
  expect(fieldChunks.length, 'the worker knows the field pages chunks').toBeGreaterThan(10);
  await expect
    .poll(
      () =>
        page.evaluate(async (paths) => {
          for (const name of (await caches.keys()).filter((n) => n.startsWith('rounds-'))) {
            const cache = await caches.open(name);
            const held = await Promise.all(paths.map((p) => cache.match(p)));
            if (held.every(Boolean)) return true;
          }
          return false;
        }, fieldChunks),
      { message: 'every field chunk is precached after sign-in', timeout: 30_000 },
    )
    .toBe(true);
}

/** The links in `main` on `path` whose href starts with `prefix`, each once. */
async function linksOn(page: Page, path: string, prefix: string): Promise<string[]> {
  await page.goto(path);
  await expect(page.locator(`main a[href^="${prefix}"]`).first()).toBeVisible();
  const hrefs = await page.locator(`main a[href^="${prefix}"]`).evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
  return [...new Set(hrefs)];
}

/** Opens each path in a fresh page with no network (a cold start in a corridor): each must be a
 *  page of the app that drew its content from the phone. */
async function opensOffline(context: BrowserContext, paths: string[]) {
  await goOffline(context);
  const page = await context.newPage();
  for (const path of paths) {
    await page.goto(path);
    const heading = page.getByRole('heading', { level: 1 }).first();
    await expect(heading, `${path} opens offline`).toBeVisible();
    await expect(heading, `${path} is a page of the app, not its 404`).not.toHaveText('404');
    await expect(page.getByText('加载中…'), `${path} has drawn its content from the phone`).toHaveCount(0);
  }
  await page.close();
}

test('a counselor first loads no chunk, and after a cold start every field page opens offline', async ({ page, context }) => {
  const chunks = chunksFetched(page);
  await logInWithFieldPagesCached(page, 'counselor');
  expect(chunks, 'login and Today are in the main chunk').toEqual([]);

  const room = (await linksOn(page, '/rooms', '/rooms/'))[0];
  const roomForms = await linksOn(page, room, `${room}/`);
  const student = (await linksOn(page, '/students', '/students/'))[0];
  const studentForms = await linksOn(page, student, `${student}/`);
  const klass = (await linksOn(page, '/classes', '/classes/'))[0];
  const classForms = await linksOn(page, klass, `${klass}/`);
  const record = (await linksOn(page, '/records', '/records/'))[0];
  const issue = (await linksOn(page, '/issues', '/issues/')).find((h) => h !== '/issues/new');
  expect(roomForms, 'the room offers the dorm check').toContain(`${room}/check`);
  expect(studentForms, 'the student page offers a talk').toContain(`${student}/talk`);
  expect(chunks.length, 'the field pages came as chunks').toBeGreaterThan(0);
  await page.close();

  await opensOffline(context, [
    '/',
    '/rooms',
    room,
    ...roomForms,
    '/students',
    student,
    ...studentForms,
    '/classes',
    klass,
    ...classForms,
    '/records',
    record,
    `${record}/edit`,
    '/issues',
    '/issues/new',
    ...(issue ? [issue] : []),
    '/duty-log',
    '/contact-log',
    '/summary',
  ]);
});

test('a leader, after a cold start, opens each of their pages offline', async ({ page, context }) => {
  await logInWithFieldPagesCached(page, 'leader');
  const forms = [
    ...(await linksOn(page, '/links', '/classes/')),
    ...(await linksOn(page, '/links', '/clubs/')),
    ...(await linksOn(page, '/links', '/branches/')),
  ];
  expect(forms.length, 'the leader has a class, a club and a branch').toBeGreaterThanOrEqual(3);
  await page.close();
  await opensOffline(context, ['/', '/links', ...forms, '/contact-log', '/records']);
});

test('after a cold start the office pages fetch their chunks and work online', async ({ page, context }) => {
  await logIn(page, 'office');
  await page.waitForURL((u) => u.pathname === '/');
  await page.close();
  // A cold start: a new page, nothing of the app in memory.
  const fresh = await context.newPage();
  const chunks = chunksFetched(fresh);
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
    await fresh.goto(path);
    await expectHydrated(fresh);
    await expect(fresh.locator(drawn).first(), `${path}: its code is loaded`).toBeAttached();
    await expect(fresh.getByRole('heading', { level: 1 }).first()).not.toHaveText('404');
  }
  expect(chunks.length, 'the office pages came as split-out chunks').toBeGreaterThan(0);
});

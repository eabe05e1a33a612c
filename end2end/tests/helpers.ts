import { expect, type APIRequest, type Page } from '@playwright/test';

// What the end-to-end tests share: the demo password, logging in as a person does, the sync
// status, and reading back what the server holds for a user.

export const PASSWORD = 'rounds-demo';

export async function logIn(page: Page, username: string, password = PASSWORD) {
  // Wait for the network to settle so the page is hydrated before typing into it.
  await page.goto('/login', { waitUntil: 'networkidle' });
  await page.getByLabel('用户名', { exact: true }).fill(username);
  await page.getByLabel('密码', { exact: true }).fill(password);
  await page.getByRole('button', { name: '登录', exact: true }).click();
}

/** Fills the login form and taps 登录, waiting for the request it sends to `path` (`/login`: the
 *  plain form the server handles; `/api/v1/session`: the hydrated app's JSON). */
export async function sendLoginForm(page: Page, path: string, username: string, password = PASSWORD) {
  await page.getByLabel('用户名', { exact: true }).fill(username);
  await page.getByLabel('密码', { exact: true }).fill(password);
  const [sent] = await Promise.all([
    page.waitForRequest((r) => new URL(r.url()).pathname === path && r.method() === 'POST'),
    page.getByRole('button', { name: '登录', exact: true }).click(),
  ]);
  return sent;
}

/** Holds the main wasm back until the returned function is called: the page as a slow phone
 *  shows it, painted and not yet hydrated. */
export async function holdMainWasm(page: Page): Promise<() => void> {
  let release!: () => void;
  const arrived = new Promise<void>((ok) => (release = ok));
  await page.route(/\/pkg\/rounds\.[^/]+\.wasm$/, async (route) => {
    await arrived;
    // A request the page gave up on (it navigated away) cannot be continued.
    await route.continue().catch(() => {});
  });
  return release;
}

/** The app has hydrated the server's page (it marks `<html data-hydrated>`). Every control the
 *  server draws works before that too, as a plain form; tests that hold the wasm back use this. */
export async function expectHydrated(page: Page, hydrated = true) {
  const html = page.locator('html');
  if (hydrated) await expect(html, 'the page is hydrated').toHaveAttribute('data-hydrated', '');
  else await expect(html, 'the page is not hydrated yet').not.toHaveAttribute('data-hydrated', '');
}

// The sync status: "待同步 N 条" or "已全部同步" (other live regions, like "已保存", are not it).
/** Waits until the service worker controls the page (the app is cached), then cuts the network:
 *  a corridor with no signal. */
export async function goOfflineWithAppCached(page: Page) {
  await page.evaluate(() => navigator.serviceWorker.ready);
  if (!(await page.evaluate(() => navigator.serviceWorker.controller !== null))) await page.reload();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await page.context().setOffline(true);
}

// 我的学生 from the tab bar. Its page loads on first use (a split chunk), so wait for its list of
// students before reading from it: until then the previous page's lists are still on screen.
export async function openMyStudents(page: Page) {
  await page.getByRole('link', { name: '我的学生', exact: true }).click();
  const students = page.getByRole('list', { name: '我的学生' });
  await expect(students.getByRole('link').first()).toBeVisible();
  return students;
}

export const syncStatus = (page: Page) => page.getByRole('status').filter({ hasText: /待同步\s*\d+\s*条|已全部同步/ });

export type Pulled = { seq: number; record: { id: string; revision: number; body: { kind: string; data: Record<string, unknown> } } };

// Every record a user may see, following the cursor to the end.
export async function pullAs(request: APIRequest, baseURL: string, username: string): Promise<Pulled[]> {
  const api = await request.newContext({ baseURL });
  const login = await api.post('/api/v1/session', { data: { username, password: PASSWORD } });
  expect(login.ok(), `API log-in as ${username}`).toBe(true);
  const records: Pulled[] = [];
  let since = 0;
  for (let page = 0; page < 1000; page++) {
    const res = await api.get(`/api/v1/sync/pull?since=${since}`);
    expect(res.status()).toBe(200);
    const body = await res.json();
    records.push(...body.records);
    if (!body.more) break;
    since = body.cursor;
  }
  await api.dispose();
  return records;
}

// The kinds of the records whose data mentions `tag`, sorted.
export const kindsTagged = (records: Pulled[], tag: string) =>
  records.filter((r) => JSON.stringify(r.record.body.data).includes(tag)).map((r) => r.record.body.kind).sort();

import { test, expect } from '@playwright/test';
import { PASSWORD, expectHydrated, holdMainWasm, logIn, sendLoginForm } from './helpers';

// A slow phone paints the login page long before its wasm has arrived, and a person (or the
// browser's password manager) fills the form at once. Hydration must keep what is in the fields:
// the page is a real form the server handles, so what was typed is the person's, not the app's.

test('what a person types before the wasm arrives is kept when the page comes alive', async ({ page }) => {
  const release = await holdMainWasm(page);
  await page.goto('/login');
  await expectHydrated(page, false);
  await page.getByLabel('用户名', { exact: true }).fill('counselor');
  await page.getByLabel('密码', { exact: true }).fill(PASSWORD);

  release();
  await expectHydrated(page);
  await expect(page.getByLabel('用户名', { exact: true })).toHaveValue('counselor');
  await expect(page.getByLabel('密码', { exact: true })).toHaveValue(PASSWORD);

  // Signing in now goes through the app (the JSON API), with what was typed before it ran.
  const [post] = await Promise.all([
    page.waitForRequest((r) => new URL(r.url()).pathname === '/api/v1/session' && r.method() === 'POST'),
    page.getByRole('button', { name: '登录', exact: true }).click(),
  ]);
  expect(post.postDataJSON()).toEqual({ username: 'counselor', password: PASSWORD });
  await page.waitForURL((u) => u.pathname === '/');
  await expect(page.getByText(/计算用时 [\d.]+ 毫秒/)).toBeVisible();
});

test('a wrong password typed after hydration is refused and the username stays', async ({ page }) => {
  await page.goto('/login', { waitUntil: 'networkidle' });
  await expectHydrated(page);
  await sendLoginForm(page, '/api/v1/session', 'counselor', 'not-the-password');
  await expect(page.getByRole('alert')).toHaveText('用户名或密码错误');
  await expect(page.getByLabel('用户名', { exact: true })).toHaveValue('counselor');
  expect(new URL(page.url()).pathname).toBe('/login');
});

test('a tap on 登录 before the wasm arrives signs in as the plain form', async ({ page, context }) => {
  const release = await holdMainWasm(page);
  await page.goto('/login');
  await expectHydrated(page, false);
  const post = await sendLoginForm(page, '/login', 'counselor');
  expect(post.postData() ?? '').toContain('username=counselor');
  await page.waitForURL((u) => u.pathname === '/');
  expect((await context.cookies()).some((c) => c.name === 'rounds_session')).toBe(true);
  // The app arrives on Today and takes up the session the form opened.
  release();
  await expect(page.getByText(/计算用时 [\d.]+ 毫秒/)).toBeVisible();
});

test('the language switch works before the wasm arrives, and the app keeps the choice', async ({ page, context }) => {
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  const release = await holdMainWasm(page);
  await page.goto('/login?error=bad_credentials');
  await expectHydrated(page, false);

  // A tap before the wasm: the server draws the same page again, in English.
  await page.getByRole('button', { name: 'English', exact: true }).click();
  await page.waitForURL((u) => u.pathname === '/login' && u.searchParams.get('error') === 'bad_credentials');
  await expect(page.getByLabel('Username', { exact: true })).toBeVisible();
  await expect(page.getByRole('alert')).toHaveText('Wrong username or password');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');

  // The app starts in the language the page was drawn in: it hydrates without a mismatch.
  release();
  await expectHydrated(page);
  await expect(page.getByLabel('Username', { exact: true })).toBeVisible();

  // Once it runs, the switch works in place (no trip to the server) and the server keeps it too.
  const posts: string[] = [];
  page.on('request', (r) => r.method() === 'POST' && posts.push(new URL(r.url()).pathname));
  await page.getByRole('button', { name: '中文', exact: true }).click();
  await expect(page.getByLabel('用户名', { exact: true })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  expect(posts).toEqual([]);
  expect((await context.cookies()).find((c) => c.name === 'rounds_lang')?.value).toBe('zh-CN');
  await page.reload();
  await expect(page.getByLabel('用户名', { exact: true })).toBeVisible();
  expect(errors.filter((e) => !e.includes('401'))).toEqual([]);
});

test('pages drawn in English come alive in English: Today, and a split-out page opened cold', async ({ page, context }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await logIn(page, 'counselor');
  await expect(page.getByText(/计算用时 [\d.]+ 毫秒/)).toBeVisible();
  const url = new URL(page.url());
  await context.addCookies([{ name: 'rounds_lang', value: 'en', domain: url.hostname, path: '/' }]);

  // A fresh load of each: the server draws it in English, and the app hydrates that (its chunk
  // first, for the split-out page) without a mismatch.
  for (const [path, heading] of [['/students', 'My students'], ['/', 'Today']]) {
    await page.goto(path);
    await expectHydrated(page);
    await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  }
  await expect(page.getByText(/Computed in [\d.]+ ms/)).toBeVisible();
  expect(errors).toEqual([]);
});

test('a language chosen before the cookie existed (local storage only) is carried over once', async ({ page, context }) => {
  await page.goto('/login');
  await expectHydrated(page);
  await page.evaluate(() => localStorage.setItem('rounds.lang', 'en'));
  await page.reload();
  await expectHydrated(page);
  await expect(page.getByLabel('Username', { exact: true })).toBeVisible();
  expect((await context.cookies()).find((c) => c.name === 'rounds_lang')?.value).toBe('en');
  expect(await page.evaluate(() => localStorage.getItem('rounds.lang'))).toBeNull();
  // From now on the server draws it in English itself.
  const drawn = await page.reload();
  expect(await drawn!.text()).toContain('<html lang="en"');
});

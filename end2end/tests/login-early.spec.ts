import { test, expect } from '@playwright/test';
import { PASSWORD, holdMainWasm, sendLoginForm } from './helpers';

// A slow phone paints the login page long before its wasm has arrived, and a person (or the
// browser's password manager) fills the form at once. Hydration must keep what is in the fields:
// the page is a real form the server handles, so what was typed is the person's, not the app's.

test('what a person types before the wasm arrives is kept when the page comes alive', async ({ page }) => {
  const release = await holdMainWasm(page);
  await page.goto('/login');
  const language = page.getByRole('button', { name: 'English' });
  await expect(language, 'the page is not hydrated yet').toBeDisabled();
  await page.getByLabel('用户名', { exact: true }).fill('counselor');
  await page.getByLabel('密码', { exact: true }).fill(PASSWORD);

  release();
  await expect(language, 'the page is hydrated').toBeEnabled();
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
  await expect(page.getByRole('button', { name: 'English' })).toBeEnabled();
  await sendLoginForm(page, '/api/v1/session', 'counselor', 'not-the-password');
  await expect(page.getByRole('alert')).toHaveText('用户名或密码错误');
  await expect(page.getByLabel('用户名', { exact: true })).toHaveValue('counselor');
  expect(new URL(page.url()).pathname).toBe('/login');
});

test('a tap on 登录 before the wasm arrives signs in as the plain form', async ({ page, context }) => {
  const release = await holdMainWasm(page);
  await page.goto('/login');
  await expect(page.getByRole('button', { name: 'English' }), 'the page is not hydrated yet').toBeDisabled();
  const post = await sendLoginForm(page, '/login', 'counselor');
  expect(post.postData() ?? '').toContain('username=counselor');
  await page.waitForURL((u) => u.pathname === '/');
  expect((await context.cookies()).some((c) => c.name === 'rounds_session')).toBe(true);
  // The app arrives on Today and takes up the session the form opened.
  release();
  await expect(page.getByText(/计算用时 [\d.]+ 毫秒/)).toBeVisible();
});

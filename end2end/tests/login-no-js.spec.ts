import { test, expect } from '@playwright/test';
import { PASSWORD, sendLoginForm } from './helpers';

// The login form before the wasm has arrived, or with no JavaScript at all (issue 14.1): a real
// POST that the server handles, sets the session cookie and redirects. The password must never
// appear in a URL (address bar, history, access logs). Every other form of the app is drawn by
// the wasm only (its pages wait for the phone's local store), so none can be sent early. The one
// other control the server draws, the language switch, is a plain form as well (issue 13): the
// server sets the language cookie and draws the page again, so no tap on it is lost.

test.use({ javaScriptEnabled: false });

test('without JavaScript the login form posts, signs in, and keeps the password out of every URL', async ({ page, context }) => {
  const urls: string[] = [];
  page.on('request', (r) => urls.push(r.url()));
  await page.goto('/login');
  const post = await sendLoginForm(page, '/login', 'counselor');
  expect(post.postData() ?? '').toContain('username=counselor');
  await page.waitForURL((u) => u.pathname === '/');
  expect(urls.filter((u) => u.includes(PASSWORD) || u.includes('password='))).toEqual([]);

  const session = (await context.cookies()).find((c) => c.name === 'rounds_session');
  expect(session, 'a session cookie is set').toBeTruthy();
  expect(session!.httpOnly).toBe(true);
  const me = await page.request.get('/api/v1/session');
  expect(me.status()).toBe(200);
  expect((await me.json()).user.username).toBe('counselor');

  // No form of the app is drawn without the wasm, so no other form can leak its fields.
  for (const path of ['/', '/rooms', '/records', '/duty-log', '/office/students']) {
    await page.goto(path);
    await expect(page.locator('form:not([method="post"])')).toHaveCount(0);
  }
});

test('without JavaScript every button the server draws works: the language switch too', async ({ page }) => {
  for (const path of ['/login', '/', '/rooms', '/students', '/office', '/office/rules']) {
    await page.goto(path);
    await expect(page.getByRole('button', { name: 'English', exact: true }), `${path} draws the language switch`).toBeVisible();
    // Every button is in a form the server handles.
    await expect(page.locator('button:not(form[method="post"] button)'), `${path}: a button that would need the wasm`).toHaveCount(0);
  }
  await page.goto('/students');
  await page.getByRole('button', { name: 'English', exact: true }).click();
  await page.waitForURL((u) => u.pathname === '/students');
  await expect(page.getByRole('button', { name: '中文', exact: true })).toBeVisible();
  await page.goto('/login');
  await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toBeEnabled();
  await page.getByRole('button', { name: '中文', exact: true }).click();
  await page.waitForURL((u) => u.pathname === '/login');
  await expect(page.getByRole('button', { name: '登录', exact: true })).toBeEnabled();
});

test('without JavaScript a wrong password comes back as a message, not in the address', async ({ page }) => {
  await page.goto('/login');
  await page.getByLabel('用户名', { exact: true }).fill('counselor');
  await page.getByLabel('密码', { exact: true }).fill('not-the-password');
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await page.waitForURL((u) => u.pathname === '/login' && u.searchParams.get('error') === 'bad_credentials');
  expect(page.url()).not.toContain('not-the-password');
  expect(page.url()).not.toContain('username=');
  await expect(page.getByRole('alert')).toHaveText('用户名或密码错误');
});

import { test, expect } from '@playwright/test';
import { PASSWORD, sendLoginForm } from './helpers';

// The login form before the wasm has arrived, or with no JavaScript at all (issue 14.1): a real
// POST that the server handles, sets the session cookie and redirects. The password must never
// appear in a URL (address bar, history, access logs). Every other form of the app is drawn by
// the wasm only (its pages wait for the phone's local store), so none can be sent early; the few
// buttons the server draws (the language switch) are disabled and marked busy until the wasm has
// hydrated the page (issue 13), so no tap on them is silently lost.

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

test('without JavaScript every button outside the login form is visibly inert', async ({ page }) => {
  for (const path of ['/login', '/', '/rooms', '/students', '/office', '/office/rules']) {
    await page.goto(path);
    const early = page.locator('button:not(form[method="post"] button)');
    expect(await early.count(), `${path} draws the language switch`).toBeGreaterThan(0);
    for (const button of await early.all()) {
      await expect(button, `${path}: a button that needs the wasm`).toBeDisabled();
      await expect(button).toHaveAttribute('aria-busy', 'true');
    }
  }
  // The login form needs no wasm: its button works.
  await page.goto('/login');
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

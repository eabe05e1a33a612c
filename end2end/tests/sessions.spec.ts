import { test, expect } from '@playwright/test';
import { logIn, syncStatus } from './helpers';

// Signed in on two devices (issue 14.4): the person sees both, and signs the other one out;
// the office sets how long an unused session stays open and sees the sign-in lock-outs.

test('a counselor sees their two devices and signs the other one out', async ({ page, browser }) => {
  // Start from one device: earlier tests of this run signed the counselor in elsewhere too.
  await logIn(page, 'counselor');
  await expect(syncStatus(page)).toContainText('已全部同步', { timeout: 20_000 });
  await page.getByRole('link', { name: '设备', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: '已登录的设备' })).toBeVisible();
  // The count shows once the list has loaded; only then does the button's absence mean one device.
  await expect(page.getByText(/^您已在 \d+ 台设备上登录$/)).toBeVisible();
  const endOthers = page.getByRole('button', { name: '退出其他所有设备', exact: true });
  if (await endOthers.isVisible()) await endOthers.click();
  await expect(page.getByText('您已在 1 台设备上登录')).toBeVisible();

  // A second device signs in.
  const other = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const laptop = await other.newPage();
  await logIn(laptop, 'counselor');
  await expect(syncStatus(laptop)).toContainText('已全部同步', { timeout: 20_000 });

  await page.reload();
  await expect(page.getByText('您已在 2 台设备上登录')).toBeVisible();
  await expect(page.getByRole('cell', { name: /本设备/ })).toHaveCount(1);
  await page.getByRole('button', { name: /^在 .* 上退出登录$/ }).click();
  await expect(page.getByText('您已在 1 台设备上登录')).toBeVisible();

  // The other device learns at its next sync that it must sign in again.
  await laptop.getByRole('button', { name: '立即同步' }).click();
  await expect(laptop.getByRole('alert').filter({ hasText: '登录已过期' })).toBeVisible({ timeout: 20_000 });
  await other.close();
});

test('the office sets the idle timeout and sees lock-outs', async ({ page, playwright, baseURL }) => {
  // Someone tries six passwords on a username (one no other test signs in with, as the
  // throttle then holds this address on it for a while).
  const api = await playwright.request.newContext({ baseURL });
  for (let i = 0; i < 6; i++) {
    await api.post('/api/v1/session', { data: { username: 'ghost', password: `guess-${i}` } });
  }
  await api.dispose();

  await logIn(page, 'office');
  // Signed in once the app has gone to its home page; leaving earlier would cancel the sign-in.
  await page.waitForURL((u) => u.pathname === '/');
  await page.goto('/office/security', { waitUntil: 'networkidle' });
  await expect(page.getByRole('heading', { level: 1, name: '登录安全' })).toBeVisible();
  const minutes = page.getByLabel('闲置时长（分钟，5 至 43200）');
  await expect(minutes).toHaveValue('4320');
  await minutes.fill('2');
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: '请填写 5 到 43200 之间的分钟数' })).toBeVisible();
  await minutes.fill('600');
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: '已保存' })).toBeVisible();
  await page.reload({ waitUntil: 'networkidle' });
  await expect(page.getByLabel('闲置时长（分钟，5 至 43200）')).toHaveValue('600');

  const table = page.getByRole('table', { name: '登录锁定记录' });
  await expect(table.getByRole('cell', { name: 'ghost', exact: true })).toBeVisible();
});

import { test, expect } from '@playwright/test';
import { logIn, syncStatus } from './helpers';

// The strict Content-Security-Policy (issue 14.3) blocks nothing the app itself does: the
// hydration script, the wasm, the service worker, the styles of the office's charts. The
// browser reports every blocked load or script in the console; a page must report none.

test('the app runs under its Content-Security-Policy without a single violation', async ({ page }) => {
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
  });
  await logIn(page, 'counselor');
  await expect(syncStatus(page)).toContainText('已全部同步', { timeout: 20_000 });
  await page.evaluate(() => navigator.serviceWorker.ready);
  for (const name of ['我的寝室', '我的记录']) {
    await page.getByRole('link', { name, exact: true }).click();
    await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  }
  await page.getByRole('button', { name: '退出登录', exact: true }).click();

  await logIn(page, 'office');
  await page.waitForURL((u) => u.pathname === '/');
  await page.goto('/office/compliance', { waitUntil: 'networkidle' });
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  expect(violations).toEqual([]);
});

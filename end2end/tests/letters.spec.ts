import { test, expect, type Page } from '@playwright/test';
import { goOfflineWithAppCached, logIn, syncStatus } from './helpers';

// 《致家长的一封信》 (seed 004 三(二)2) end to end: the office sends a batch to every class from a
// desk; the counselor's phone lists it on Today, and offline in a corridor she records one
// family's delivery with the family's answer; back online it syncs, and the office's page shows
// the family reached and answered.

async function allSynced(page: Page) {
  await page.getByRole('button', { name: '立即同步', exact: true }).click();
  await expect(syncStatus(page)).toContainText('已全部同步', { timeout: 30_000 });
}

test('a semester letter is sent as a batch, delivered offline with the answer, and its progress reaches the office', async ({ page, browser, baseURL }) => {
  const tag = `e2e-letter-${Date.now()}`;
  const title = `致家长的一封信 ${tag}`;
  const answer = `家长希望寒假督促复习 ${tag}`;

  // (a) The office at a desk sends the letter to every class.
  const desk = await browser.newContext({ baseURL, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1280, height: 900 } });
  const office = await desk.newPage();
  await logIn(office, 'office');
  await office.waitForURL((u) => u.pathname === '/');
  await expect(syncStatus(office)).toContainText('已全部同步', { timeout: 30_000 });
  await office.goto('/office/letters', { waitUntil: 'networkidle' });
  await expect(office.getByRole('heading', { level: 1, name: '致家长的一封信与喜报' })).toBeVisible();
  await office.getByRole('link', { name: '发放一批', exact: true }).click();
  await expect(office.getByRole('heading', { level: 1, name: '发放一批' })).toBeVisible();
  await office.getByRole('textbox', { name: '标题', exact: true }).fill(title);
  await office.getByRole('textbox', { name: '内容或附件说明', exact: true }).fill('寒假安全、学业情况与返校时间');

  // Nothing chosen yet: refused, with the reason, and nothing kept.
  await office.getByRole('button', { name: '发放', exact: true }).click();
  await expect(office.getByRole('alert')).toContainText('请选择班级或学生');

  await office.getByRole('button', { name: '全选', exact: true }).click();
  await office.getByRole('button', { name: '发放', exact: true }).click();
  await expect(office.getByText(/已保存 \d+ 份/)).toBeVisible();
  await allSynced(office);

  // (b) The counselor's phone receives her classes' letters; Today says what is left to deliver.
  await logIn(page, 'counselor');
  await page.waitForURL((u) => u.pathname === '/');
  await allSynced(page);
  const today = page.getByRole('region', { name: '待送达的致家长信、喜报' });
  const line = today.getByRole('link', { name: new RegExp(tag) }).first();
  await expect(line).toBeVisible();
  await expect(line).toContainText('户未送达');

  // (c) In a corridor with no signal, she records one family's delivery and its answer.
  await goOfflineWithAppCached(page);
  await line.click();
  await expect(page.getByRole('table', { name: '致家长的一封信与喜报' })).toBeVisible();
  const deliver = page.getByRole('link', { name: /^记录送达 / }).first();
  const family = ((await deliver.getAttribute('aria-label')) ?? '').replace('记录送达 ', '');
  await deliver.click();
  await expect(page.getByRole('combobox', { name: '联系原因' })).toHaveValue('Letter');
  await expect(page.getByRole('textbox', { name: '沟通内容', exact: true })).toHaveValue(title);
  await page.getByRole('textbox', { name: '联系的家长', exact: true }).fill('母亲');
  await page.getByRole('textbox', { name: '家长反馈', exact: true }).fill(answer);
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await expect(page.getByRole('table', { name: '致家长的一封信与喜报' })).toBeVisible();
  const row = page.getByRole('row').filter({ hasText: family }).first();
  await expect(row).not.toContainText('未送达');
  await expect(row).toContainText('✓');
  await expect(syncStatus(page)).toContainText('待同步 1 条');

  // (d) Back online it syncs; the office sees the family reached and answered.
  await page.context().setOffline(false);
  await allSynced(page);
  await office.getByRole('link', { name: '致家长的一封信与喜报', exact: true }).first().click();
  await allSynced(office);
  const batch = office.getByRole('article', { name: title });
  await expect(batch).toContainText(/已送达 1 \/ \d+ 户，已回应 1/);
  await desk.close();
});

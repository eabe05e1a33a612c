import { test, expect, type Page } from '@playwright/test';
import { goOfflineWithAppCached, logIn, syncStatus } from './helpers';

// The issue ledger (问题台账, seed 002 四(三)) end to end: the leader, offline in his linked room
// 2-101, raises an issue; back online it syncs. The office, at a desk, finds it in the ledger,
// exports the ledger, assigns it to a unit with a due date, resolves it and feeds back. The
// leader's phone shows the feedback on Today; he confirms, and the office's ledger shows it closed.

// A day in the school's zone, as a date input takes it.
const schoolDay = (daysFromNow: number) => new Date(Date.now() + daysFromNow * 86_400_000).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });

async function allSynced(page: Page) {
  await page.getByRole('button', { name: '立即同步', exact: true }).click();
  await expect(syncStatus(page)).toContainText('已全部同步', { timeout: 30_000 });
}

// Opens a step's form by its button, fills what it needs, saves, and waits for the status the
// step leads to and for the step to reach the server (steps are checked there one push at a time).
async function takeStep(page: Page, button: string, fill: (page: Page) => Promise<void>, status: string) {
  await page.getByRole('button', { name: button, exact: true }).click();
  await expect(page.getByRole('heading', { level: 3, name: button })).toBeVisible();
  await fill(page);
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await expect(page.getByText(status, { exact: true }).first()).toBeVisible();
  await allSynced(page);
}

test('a room issue raised offline is assigned, resolved, fed back and confirmed', async ({ page, browser, baseURL }) => {
  const tag = `e2e-ledger-${Date.now()}`;
  const problem = `卫生间下水道堵塞 ${tag}`;
  const answer = `后勤已疏通下水道 ${tag}`;

  // (a) The leader's phone, with the app cached, loses the network in the corridor.
  await logIn(page, 'leader');
  await page.waitForURL((u) => u.pathname === '/');
  await expect(syncStatus(page)).toContainText('已全部同步');
  await goOfflineWithAppCached(page);

  await page.getByRole('link', { name: '我的寝室', exact: true }).click();
  await page.getByRole('link', { name: /2-101/ }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: '2-101' })).toBeVisible();
  await page.getByRole('link', { name: '提出问题', exact: true }).click();
  await page.getByRole('combobox', { name: '类别' }).selectOption({ label: '宿舍' });
  await page.getByRole('textbox', { name: '问题描述', exact: true }).fill(problem);
  const form = page.url();
  await page.getByRole('button', { name: '保存', exact: true }).click();

  // Saved on the phone: it lands on the issue's own page, open and not yet synced.
  await expect(page).not.toHaveURL(form);
  await expect(page).toHaveURL(/\/issues\/[0-9a-f-]{36}$/);
  const issuePath = new URL(page.url()).pathname;
  await expect(page.getByRole('heading', { level: 1, name: /2-101/ })).toBeVisible();
  await expect(page.getByText(problem)).toBeVisible();
  await expect(page.getByText('待分派', { exact: true })).toBeVisible();
  await expect(page.getByText('待同步', { exact: true }).first()).toBeVisible();
  await expect(syncStatus(page)).toContainText('待同步 1 条');

  // Back online, it reaches the server.
  await page.context().setOffline(false);
  await allSynced(page);

  // (b) The office at a desk finds it in the ledger.
  const desk = await browser.newContext({ baseURL, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1280, height: 900 } });
  const office = await desk.newPage();
  await logIn(office, 'office');
  await office.waitForURL((u) => u.pathname === '/');
  await expect(syncStatus(office)).toContainText('已全部同步', { timeout: 30_000 });
  await office.getByRole('link', { name: /^问题台账：\d+ 件待分派/ }).click();
  await expect(office.getByRole('heading', { level: 1, name: '问题台账' })).toBeVisible();
  const row = office.getByRole('row').filter({ hasText: tag });
  await expect(row).toContainText('待分派');
  await expect(row).toContainText('赵建国');
  await expect(row).toContainText('2-101');
  await expect(row).toContainText('（默认）');

  // Filtered to the unassigned ones, it stays; the export takes the same filter.
  await office.getByRole('combobox', { name: '状态' }).selectOption({ label: '待分派' });
  await expect(row).toBeVisible();
  const exportLink = office.getByRole('link', { name: '导出台账 Excel', exact: true });
  await expect(exportLink).toHaveAttribute('href', /status=open/);
  const xlsx = await office.request.get((await exportLink.getAttribute('href'))!);
  expect(xlsx.status()).toBe(200);
  expect(xlsx.headers()['content-type']).toContain('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');

  // The office opens it and takes its steps.
  await row.getByRole('link').click();
  await office.waitForURL((u) => u.pathname === issuePath);
  await expect(office.getByText(problem)).toBeVisible();
  const due = schoolDay(3);
  await takeStep(
    office,
    '分派',
    async (p) => {
      await p.getByLabel('承办单位').fill('后勤保障处');
      // Prefilled from the office's default days for the category; the office sets its own.
      await expect(p.getByLabel('办结期限')).not.toHaveValue('');
      await expect(p.getByText(/学工部为“宿舍”类问题设定的默认/)).toBeVisible();
      await p.getByLabel('办结期限').fill(due);
    },
    '办理中',
  );
  await expect(office.getByText(due, { exact: true })).toBeVisible();
  await takeStep(office, '填写解决情况', (p) => p.getByRole('textbox', { name: '解决情况' }).fill('已派维修工疏通'), '已解决待反馈');
  await takeStep(office, '反馈提出人', (p) => p.getByRole('textbox', { name: '反馈内容（告知提出人）' }).fill(answer), '已反馈待确认');
  const timeline = office.getByRole('list').filter({ hasText: '分派' }).filter({ hasText: '反馈提出人' });
  await expect(timeline.getByRole('listitem')).toHaveCount(3);

  // (c) The leader's phone syncs: Today shows the answer, waiting for him.
  await allSynced(page);
  await page.getByRole('link', { name: '今日待办', exact: true }).click();
  const answered = page.getByRole('region', { name: '反馈已收到，待你确认' });
  const item = answered.getByRole('listitem').filter({ hasText: tag });
  await expect(item).toContainText(answer);
  await item.getByRole('link').click();
  await page.waitForURL((u) => u.pathname === issuePath);
  const box = page.getByRole('region', { name: '反馈已收到' });
  await expect(box).toContainText(answer);
  await expect(box.getByRole('button', { name: '退回重办', exact: true })).toBeVisible();
  await takeStep(page, '确认办结', async () => {}, '已办结');
  await expect(page.getByRole('region', { name: '反馈已收到' })).toHaveCount(0);

  // The office's ledger shows it closed.
  await office.goto('/office/ledger', { waitUntil: 'networkidle' });
  await office.getByRole('combobox', { name: '状态' }).selectOption({ label: '已办结' });
  await expect(office.getByRole('row').filter({ hasText: tag })).toContainText('已办结');
  await desk.close();
});

import { test, expect, type Page } from '@playwright/test';
import { logIn } from './helpers';

// The office changes how often dorms must be checked and sees what that does: a period of
// 0 days is refused on the page before anything is sent; 10 days is saved as the next version;
// the compliance table by rule has the dorm-check row, and its overdue number opens the rooms
// behind it. At the end the rule is put back to the demo's 14 days for the specs after this one.

const DORM_CHECK = '每间寝室至少每14天查寝一次';

// The card of the dorm-check rule: a group named by its legend, `规则 1：<title>`.
const dormCheckRule = (page: Page) => page.getByRole('group', { name: new RegExp(`^规则 \\d+：${DORM_CHECK}`) });

const versionLine = (page: Page) => page.getByText(/^当前版本：第 \d+ 版$/);

async function currentVersion(page: Page): Promise<number> {
  await expect(versionLine(page)).toBeVisible();
  const text = (await versionLine(page).textContent()) ?? '';
  return Number(text.match(/\d+/)?.[0]);
}

async function setDormCheckDays(page: Page, days: string) {
  await dormCheckRule(page).getByRole('spinbutton', { name: '天数', exact: true }).fill(days);
  await page.getByRole('button', { name: '保存', exact: true }).click();
}

test('the office sets the dorm-check period, is stopped at 0 days, saves 10, and drills into overdue rooms', async ({ page }) => {
  const rulePuts: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'PUT' && new URL(r.url()).pathname === '/api/v1/duties/rules') rulePuts.push(r.url());
  });

  await logIn(page, 'office');
  await page.getByRole('link', { name: '办公室', exact: true }).click();
  const officeNav = page.getByRole('navigation', { name: '办公室' });
  await officeNav.getByRole('link', { name: '工作要求', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: '工作要求' })).toBeVisible();

  const before = await currentVersion(page);
  const rule = dormCheckRule(page);
  const days = rule.getByRole('spinbutton', { name: '天数', exact: true });
  await expect(days).toHaveValue('14');
  await expect(rule.getByText('每间寝室每14天至少1次')).toBeVisible();

  // Zero days: the page's own check (the same as the server's) stops it, beside the field.
  await setDormCheckDays(page, '0');
  await expect(rule.getByText('周期不能为0')).toBeVisible();
  await expect(days).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByRole('alert').filter({ hasText: '请修改标出的项目' })).toContainText(/规则 \d+ · 天数 — 周期不能为0/);
  await expect(versionLine(page)).toHaveText(`当前版本：第 ${before} 版`);
  expect(rulePuts).toHaveLength(0);

  // Ten days: saved as the next version, the error gone, the rule's line says so.
  await setDormCheckDays(page, '10');
  await expect(page.getByRole('status').filter({ hasText: `已保存为第 ${before + 1} 版` })).toBeVisible();
  await expect(versionLine(page)).toHaveText(`当前版本：第 ${before + 1} 版`);
  await expect(days).toHaveValue('10');
  await expect(rule.getByText('周期不能为0')).toHaveCount(0);
  await expect(rule.getByText('每间寝室每10天至少1次')).toBeVisible();
  expect(rulePuts).toHaveLength(1);

  // Compliance: the table by rule has the dorm-check row; the demo's month of checks leaves
  // rooms unchecked for more than 10 days, so some are overdue.
  await officeNav.getByRole('link', { name: '履职统计', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: '履职统计' })).toBeVisible();
  await expect(page.getByText('总体完成率').first()).toBeVisible();
  const byRule = page.getByRole('table', { name: '按规则', exact: true });
  const row = byRule.getByRole('row', { name: new RegExp(DORM_CHECK) });
  await expect(row).toBeVisible();
  const overdue = row.getByRole('button', { name: new RegExp(`^${DORM_CHECK} · 逾期 \\d+：查看明细$`) });
  const overdueCount = Number((await overdue.getAttribute('aria-label'))?.match(/逾期 (\d+)/)?.[1]);
  expect(overdueCount).toBeGreaterThan(0);
  await expect(overdue).toHaveText(String(overdueCount));

  // Its overdue number opens the rooms behind it: one row each, a room number, overdue, late by days.
  await overdue.click();
  const details = page.getByRole('region', { name: `明细：${DORM_CHECK} · 逾期` });
  const detailRows = details.getByRole('table', { name: '明细' }).getByRole('row');
  await expect(detailRows).toHaveCount(overdueCount + 1);
  const first = detailRows.nth(1).getByRole('cell');
  await expect(first.nth(0)).toHaveText(/^\d+-\d+$/);
  await expect(first.nth(2)).toHaveText(DORM_CHECK);
  await expect(first.nth(3)).toHaveText('逾期');
  await expect(first.nth(5)).toHaveText(/^\d+$/);
  await details.getByRole('button', { name: '关闭明细', exact: true }).click();
  await expect(details).toHaveCount(0);

  // Put the demo's 14 days back.
  await officeNav.getByRole('link', { name: '工作要求', exact: true }).click();
  await expect(versionLine(page)).toHaveText(`当前版本：第 ${before + 1} 版`);
  await setDormCheckDays(page, '14');
  await expect(versionLine(page)).toHaveText(`当前版本：第 ${before + 2} 版`);
});

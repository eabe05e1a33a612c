import { test, expect } from '@playwright/test';
import { logIn } from './helpers';

// A student's standing (学业预警, 处分, 帮扶 level) is the office's: a counselor editing the archive
// on the student's page sees it read-only, "由学工部认定", and saving sends it back unchanged, so
// the guardian's phone changes and the standing does not.

type Archive = { guardian_phone: string; warning_level: number | null; warning_on: string | null; discipline_on: string | null; assistance_level: number | null; assistance_on?: string | null };
type Pulled = { roster: { students: { id: number; name: string; archive: Archive | null }[] } };

test('a counselor edits the archive around the standing, which stays as the office set it', async ({ page }) => {
  await logIn(page, 'counselor');
  await expect(page.getByRole('heading', { level: 1, name: '今日待办' })).toBeVisible();
  const pulled: Pulled = await (await page.request.get('/api/v1/sync/pull?since=0')).json();
  // Warned by hand, not by the demo's identification (whose date would show twice).
  const student = pulled.roster.students.find((s) => s.archive?.warning_level != null && s.archive?.warning_on != null && s.archive?.assistance_on == null);
  expect(student, 'the demo has a warned student in the counselor\'s classes').toBeTruthy();
  const before = student!.archive!;

  await page.goto(`/students/${student!.id}`, { waitUntil: 'networkidle' });
  await expect(page.getByRole('heading', { level: 1, name: student!.name })).toBeVisible();
  const archive = page.getByRole('region', { name: '学生档案' });
  await archive.getByRole('button', { name: '修改档案', exact: true }).click();

  // The standing is shown, not offered: no field for it, the office's note beside it.
  await expect(archive.getByText('由学工部认定', { exact: true })).toBeVisible();
  await expect(archive.getByText(before.warning_on!, { exact: true })).toBeVisible();
  await expect(archive.getByRole('combobox', { name: '学业预警等级' })).toHaveCount(0);
  await expect(archive.getByRole('textbox', { name: '预警决定日期' })).toHaveCount(0);
  await expect(archive.getByRole('heading', { name: '认定记录' })).toBeVisible();

  const phone = `139${String(Date.now()).slice(-8)}`;
  await archive.getByRole('textbox', { name: '监护人电话', exact: true }).fill(phone);
  await archive.getByRole('button', { name: '保存', exact: true }).click();
  await expect(page.getByText('档案已保存')).toBeVisible();

  const after: Pulled = await (await page.request.get('/api/v1/sync/pull?since=0')).json();
  const saved = after.roster.students.find((s) => s.id === student!.id)!.archive!;
  expect(saved.guardian_phone).toBe(phone);
  expect([saved.warning_level, saved.warning_on, saved.discipline_on, saved.assistance_level]).toEqual([
    before.warning_level,
    before.warning_on,
    before.discipline_on,
    before.assistance_level,
  ]);
});

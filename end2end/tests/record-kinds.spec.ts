import { test, expect } from '@playwright/test';
import { kindsTagged, logIn, openMyStudents, pullAs, syncStatus } from './helpers';

// A counselor, offline, records a class check, a talk and a home visit from the roster already
// on the phone; back online they sync, and only staff assigned to the class can read them.

test('class check, talk and home visit recorded offline are synced once and kept confidential', async ({
  page,
  context,
  playwright,
  baseURL,
}) => {
  const tag = `e2e-kinds-${Date.now()}`;
  await logIn(page, 'counselor');
  await expect(syncStatus(page)).toContainText('已全部同步');
  await page.evaluate(() => navigator.serviceWorker.ready);
  if (!(await page.evaluate(() => navigator.serviceWorker.controller !== null))) await page.reload();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: '今日待办' })).toBeVisible();

  // A class check: two taps mark who is missing.
  await page.getByRole('link', { name: '我的班级', exact: true }).click();
  await page.getByRole('link', { name: /^计算机2023-1班/ }).click();
  await page.getByRole('link', { name: '查课', exact: true }).click();
  await page.getByRole('textbox', { name: '课程', exact: true }).fill('高等数学');
  await page.getByRole('textbox', { name: '任课教师', exact: true }).fill('张老师');
  const students = page.getByRole('group').filter({ has: page.getByRole('radio', { name: '出勤', exact: true }) });
  await expect.poll(() => students.count()).toBeGreaterThan(20);
  const total = await students.count();
  await expect(page.getByText(`实到 ${total} 人`)).toBeVisible();
  await students.nth(0).getByRole('radio', { name: '缺勤', exact: true }).check();
  await students.nth(1).getByRole('radio', { name: '迟到', exact: true }).check();
  await expect(page.getByText(`实到 ${total - 1} 人`)).toBeVisible();
  await page.getByRole('textbox', { name: '备注', exact: true }).fill(tag);
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await expect(page.getByText('已保存').first()).toBeVisible();
  await expect(syncStatus(page)).toContainText(/待同步\s*1\s*条/);

  // A talk with a student found by search.
  const firstStudent = (await openMyStudents(page)).getByRole('link').first();
  const name = (await firstStudent.textContent())!.trim();
  await page.getByRole('searchbox', { name: '搜索姓名、拼音首字母或学号' }).fill(name);
  await page.getByRole('link', { name, exact: true }).first().click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  // The student's confidential archive is on the phone for their counselor.
  const archive = page.getByRole('region', { name: '学生档案' });
  await expect(archive).toBeVisible();
  await expect(archive.getByText('监护人', { exact: true })).toBeVisible();
  await page.getByRole('link', { name: '谈心谈话', exact: true }).click();
  await page.getByRole('combobox', { name: '谈话原因' }).selectOption({ label: '学业预警' });
  await page.getByRole('textbox', { name: '主要问题与表现', exact: true }).fill(`两门课程不及格 ${tag}`);
  // Saving without the assessment is refused on the phone, and nothing is lost.
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('必填');
  await page.getByRole('textbox', { name: '初步评估及建议', exact: true }).fill('需持续关注，两周后再谈');
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await expect(page.getByText('已保存').first()).toBeVisible();

  // A home visit, from the student's page.
  await page.getByRole('link', { name: '家访', exact: true }).click();
  await page.getByRole('textbox', { name: '家庭地址', exact: true }).fill('四川省绵阳市');
  await page.getByRole('textbox', { name: '学生基本情况', exact: true }).fill(`在校表现良好 ${tag}`);
  await page.getByRole('textbox', { name: '共同商讨的教育方法', exact: true }).fill('家长每月与班主任通话一次');
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await expect(page.getByText('已保存').first()).toBeVisible();
  await expect(syncStatus(page)).toContainText(/待同步\s*3\s*条/);
  // The student's timeline already shows the talk and the home visit.
  await expect(page.getByText(`谈心谈话 · ${name}`).first()).toBeVisible();
  await expect(page.getByText(`家访 · ${name}`).first()).toBeVisible();

  await context.setOffline(false);
  await expect(syncStatus(page)).toContainText('已全部同步', { timeout: 20_000 });

  expect(kindsTagged(await pullAs(playwright.request, baseURL!, 'counselor'), tag)).toEqual(['class_check', 'home_visit', 'talk']);
  expect(kindsTagged(await pullAs(playwright.request, baseURL!, 'office'), tag)).toEqual(['class_check', 'home_visit', 'talk']);
  expect(kindsTagged(await pullAs(playwright.request, baseURL!, 'counselor2'), tag)).toEqual([]);
});

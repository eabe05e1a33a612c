import { test, expect, type Page } from '@playwright/test';
import { kindsTagged, logIn, openMyStudents, pullAs, syncStatus } from './helpers';

// Every remaining kind has a form a person can fill on the phone; each saved record reaches
// the server once.

async function fill(page: Page, fields: Record<string, string>) {
  for (const [label, value] of Object.entries(fields)) {
    await page.getByRole('textbox', { name: label, exact: true }).fill(value);
  }
}

async function save(page: Page) {
  // The form page is left only once the record is on the phone; the "已保存" of the previous
  // save may still be showing, so it alone proves nothing.
  const form = page.url();
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await expect(page).not.toHaveURL(form);
  await expect(page.getByText('已保存').first()).toBeVisible();
}

test('each remaining kind of record can be made from its page', async ({ page, playwright, baseURL }) => {
  const tag = `e2e-forms-${Date.now()}`;
  await logIn(page, 'counselor');
  await expect(syncStatus(page)).toContainText('已全部同步');

  // From a student's page: parent contact and a student issue.
  await (await openMyStudents(page)).getByRole('link').first().click();
  const studentPage = page.url();
  await page.getByRole('link', { name: '家长联系', exact: true }).click();
  await page.getByRole('combobox', { name: '联系方式' }).selectOption({ label: '微信' });
  await fill(page, { 联系的家长: '母亲', 沟通内容: tag });
  await save(page);
  await page.goto(studentPage);
  await page.getByRole('link', { name: '学生诉求', exact: true }).click();
  await fill(page, { 问题描述: tag });
  await save(page);

  // From a room: a dorm visit (every resident is ticked as met to begin with).
  await page.getByRole('link', { name: '我的寝室', exact: true }).click();
  await page.getByRole('link', { name: /^1-101/ }).click();
  await page.getByRole('link', { name: '深入宿舍', exact: true }).click();
  await expect(page.getByRole('checkbox').first()).toBeChecked();
  await fill(page, { '学习、生活、思想情况': tag });
  await save(page);

  // From a class: lecture visit, class meeting, committee meeting, teacher contact.
  const classForms: [string, Record<string, string>][] = [
    ['听课', { 课程: '数据结构', 任课教师: '王老师', 备注: tag }],
    ['班会', { 主题: tag }],
    ['班委会', { 近期工作总结: tag }],
    ['任课教师联系', { 任课教师: '李老师', 课程: '英语', 了解到的情况: tag }],
  ];
  for (const [link, fields] of classForms) {
    await page.getByRole('link', { name: '我的班级', exact: true }).click();
    await page.getByRole('link', { name: /^计算机2023-1班/ }).click();
    await page.getByRole('link', { name: link, exact: true }).click();
    await fill(page, fields);
    await save(page);
  }

  // A duty log, from my records.
  await page.getByRole('link', { name: '我的记录', exact: true }).click();
  await page.getByRole('link', { name: '新建值班记录', exact: true }).click();
  await page.getByRole('checkbox', { name: '1号楼' }).check();
  await fill(page, { 值班情况: tag });
  await save(page);

  await expect(syncStatus(page)).toContainText('已全部同步', { timeout: 20_000 });

  expect(kindsTagged(await pullAs(playwright.request, baseURL!, 'counselor'), tag)).toEqual(
    ['class_meeting', 'committee_meeting', 'dorm_visit', 'duty_log', 'lecture_visit', 'parent_contact', 'student_issue', 'teacher_contact'],
  );
});

import { test, expect } from '@playwright/test';
import { logIn, openMyStudents, pullAs, syncStatus } from './helpers';

// A counselor finds a talk in "my records" by filtering, edits it, looks at its history and an
// older revision, then deletes it; the server keeps every revision.

test('a record is edited, its history shown, and deleted, each a new revision', async ({ page, playwright, baseURL }) => {
  const tag = `e2e-edit-${Date.now()}`;
  await logIn(page, 'counselor');
  await expect(syncStatus(page)).toContainText('已全部同步');

  // A talk about the first of my students.
  const firstStudent = (await openMyStudents(page)).getByRole('link').first();
  const studentName = (await firstStudent.textContent())?.trim() ?? '';
  await firstStudent.click();
  await page.getByRole('link', { name: '谈心谈话', exact: true }).click();
  await page.getByRole('textbox', { name: '地点', exact: true }).fill('辅导员办公室');
  await page.getByRole('textbox', { name: '主要问题与表现', exact: true }).fill(tag);
  await page.getByRole('textbox', { name: '初步评估及建议', exact: true }).fill('持续关注');
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await expect(page.getByText('已保存').first()).toBeVisible();

  // My records, narrowed to talks about that student.
  await page.getByRole('link', { name: '我的记录', exact: true }).click();
  await page.getByRole('combobox', { name: '类别' }).selectOption({ label: '谈心谈话' });
  await page.getByRole('searchbox', { name: /^学生/ }).fill(studentName);
  await expect(page.getByText(/^共 \d+ 条$/)).toBeVisible();
  const talksBefore = (await page.getByRole('link', { name: `谈心谈话 · ${studentName}` }).count()) - 1;
  await page.getByRole('listitem').getByRole('link', { name: `谈心谈话 · ${studentName}` }).first().click();

  // The record's page shows it as saved, read-only.
  const problems = page.getByRole('textbox', { name: '主要问题与表现', exact: true });
  await expect(problems).toHaveValue(tag);
  await expect(problems).toBeDisabled();
  await expect(page.getByText('第 1 版')).toBeVisible();

  // Edit: the same form, filled; saving makes revision 2.
  await page.getByRole('link', { name: '修改', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('修改');
  await page.getByRole('textbox', { name: '主要问题与表现', exact: true }).fill(`${tag} edited`);
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await expect(page.getByText('第 2 版')).toBeVisible();
  await expect(problems).toHaveValue(`${tag} edited`);
  await expect(syncStatus(page)).toContainText('已全部同步');

  // The history, from the server: both revisions, what changed, and the first one on request.
  await page.getByRole('button', { name: '查看修改历史', exact: true }).click();
  const history = page.getByRole('region', { name: '修改历史' });
  await expect(history.getByRole('listitem')).toHaveCount(2);
  await expect(history.getByText('改动：主要问题与表现')).toBeVisible();
  await history.getByRole('listitem').first().getByRole('button', { name: '查看此版本' }).click();
  await expect(page.getByText('正在查看第 1 版')).toBeVisible();
  await expect(problems).toHaveValue(tag);
  await page.getByRole('button', { name: '回到当前版本', exact: true }).click();
  await expect(problems).toHaveValue(`${tag} edited`);

  // Delete, after confirming: gone from my records, kept on the server as revision 3.
  const recordPage = page.url();
  page.once('dialog', (dialog) => dialog.accept());
  await page.getByRole('button', { name: '删除', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: '我的记录' })).toBeVisible();
  await expect(syncStatus(page)).toContainText('已全部同步');
  await page.getByRole('combobox', { name: '类别' }).selectOption({ label: '谈心谈话' });
  await page.getByRole('searchbox', { name: /^学生/ }).fill(studentName);
  await expect(page.getByRole('link', { name: `谈心谈话 · ${studentName}` })).toHaveCount(talksBefore);
  await page.goto(recordPage);
  await expect(page.getByText('已删除').first()).toBeVisible();
  await expect(page.getByRole('link', { name: '修改', exact: true })).toHaveCount(0);

  const talk = (await pullAs(playwright.request, baseURL!, 'counselor')).find((r) =>
    String(r.record.body.data.problems ?? '').startsWith(tag),
  );
  expect(talk?.record.revision).toBe(3);
  expect((talk?.record as unknown as { deleted: boolean }).deleted).toBe(true);
});

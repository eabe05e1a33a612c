import { test, expect } from '@playwright/test';
import { goOfflineWithAppCached, kindsTagged, logIn, PASSWORD, pullAs, syncStatus } from './helpers';

// Seeds 001 and 003 end to end: the office imports a semester's results and confirms the
// working group's list; the level-2 student's case reaches the counselor's phone; offline, the
// counselor records the level's actions (a talk with a study plan, the warning notice by
// registered mail, the volunteer's first session); back online they sync; the record card
// prints with them on it.

// A term the demo's own identification does not use, so the list holds only these students.
const TERM = '2023-2024-2';

type Student = { id: number; student_no: string; name: string; class_id: number };

test('results imported, list confirmed, level-2 actions recorded offline, card printed', async ({ page, browser, playwright, baseURL }) => {
  const tag = `e2e-assist-${Date.now()}`;

  // Three students of the counselor's first class, by the office's API.
  const api = await playwright.request.newContext({ baseURL });
  expect((await api.post('/api/v1/session', { data: { username: 'counselor', password: PASSWORD } })).ok()).toBe(true);
  const roster = (await (await api.get('/api/v1/sync/pull?since=0')).json()).roster as { classes: { id: number }[]; students: Student[] };
  await api.dispose();
  const students = roster.students.filter((s) => s.class_id === roster.classes[0].id).slice(6, 9);
  const [levelOne, levelTwo, levelThree] = students;
  const csv =
    '学号,姓名,不及格学分,不及格门次,平均学分绩点,旷课学时\n' +
    `${levelOne.student_no},${levelOne.name},12,4,2.1,0\n` +
    `${levelTwo.student_no},${levelTwo.name},15,5,1.8,2\n` +
    `${levelThree.student_no},${levelThree.name},25,9,1.2,12\n` +
    '9999999999,不在名单,14,4,,\n';

  // The office, at a desk: checks the file (one bad row named), imports the good rows.
  const desk = await browser.newContext({ baseURL, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1280, height: 900 } });
  const office = await desk.newPage();
  await logIn(office, 'office');
  await office.waitForURL((u) => u.pathname === '/');
  await office.goto('/office/assistance', { waitUntil: 'networkidle' });
  await expect(office.getByRole('heading', { level: 1, name: '学业帮扶' })).toBeVisible();
  await office.getByRole('textbox', { name: /成绩所属学期/ }).fill(TERM);
  await office.getByLabel('成绩文件（.xlsx 或 .csv）').setInputFiles({ name: 'results.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await office.getByRole('button', { name: '检查文件', exact: true }).click();
  await expect(office.getByRole('table', { name: '有误的行' }).getByRole('cell', { name: '5', exact: true })).toBeVisible();
  await office.getByRole('button', { name: '导入，跳过 1 行有误的数据', exact: true }).click();
  await expect(office.getByText('导入完成')).toBeVisible();

  // The list proposes the three levels; the group's decision is entered and confirmed.
  const list = office.getByRole('table', { name: /建议名单：3 人/ });
  await expect(list).toBeVisible();
  await expect(list.getByRole('row', { name: new RegExp(levelTwo.name) })).toContainText('二级帮扶');
  await expect(list.getByRole('row', { name: new RegExp(levelThree.name) })).toContainText('三级帮扶');
  await office.getByRole('textbox', { name: /依据/ }).fill(`帮扶工作组会议纪要 ${tag}`);
  await office.getByRole('button', { name: '确认认定名单', exact: true }).click();
  await expect(office.getByText(/已认定 3 人：新建帮扶档案 3 份/)).toBeVisible();
  await desk.close();

  // The counselor's phone receives the case, then goes into a corridor with no signal.
  await logIn(page, 'counselor');
  await page.waitForURL((u) => u.pathname === '/');
  await expect(syncStatus(page)).toContainText('已全部同步');
  await goOfflineWithAppCached(page);
  await page.goto(`/students/${levelTwo.id}`);
  const section = page.getByRole('region', { name: '帮扶档案' });
  await expect(section).toContainText('二级帮扶');
  await expect(section).toContainText('学业困难');

  // 1. The face-to-face talk with a study plan.
  await page.getByRole('link', { name: '谈心谈话', exact: true }).click();
  await page.getByRole('combobox', { name: '谈话原因' }).selectOption({ label: '帮扶' });
  await page.getByRole('textbox', { name: '主要问题与表现', exact: true }).fill(`上学期不及格15学分 ${tag}`);
  await page.getByRole('textbox', { name: '初步评估及建议', exact: true }).fill('有改进意愿，需持续关注');
  await page.getByRole('textbox', { name: '下阶段学习计划', exact: true }).fill('每周三次晚自习，补考科目列复习计划');
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await page.waitForURL((u) => u.pathname === `/students/${levelTwo.id}`);

  // 2. The written warning notice, posted to the parents by registered mail.
  await page.getByRole('link', { name: '家长联系', exact: true }).click();
  await page.getByRole('textbox', { name: '联系的家长', exact: true }).fill('父亲');
  await page.getByRole('combobox', { name: '联系方式' }).selectOption({ label: '挂号信' });
  await page.getByRole('textbox', { name: '沟通内容', exact: true }).fill(`书面预警通知书已寄出 ${tag}`);
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await page.waitForURL((u) => u.pathname === `/students/${levelTwo.id}`);

  // 3. The volunteer's first session.
  await page.getByRole('region', { name: '帮扶档案' }).getByRole('link', { name: '记录志愿者帮扶', exact: true }).click();
  await page.getByRole('textbox', { name: '志愿者', exact: true }).fill('周思远');
  await page.getByRole('textbox', { name: '时长（分钟）', exact: true }).fill('90');
  await page.getByRole('textbox', { name: '帮扶内容', exact: true }).fill(`高等数学补考辅导 ${tag}`);
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await page.waitForURL((u) => u.pathname === `/students/${levelTwo.id}`);
  await expect(syncStatus(page)).toContainText(/待同步\s*3\s*条/);
  // The case's process record already shows them, offline.
  await expect(page.getByRole('region', { name: '帮扶档案' })).toContainText('周思远');

  await page.context().setOffline(false);
  await expect(syncStatus(page)).toContainText('已全部同步', { timeout: 20_000 });
  // The three cases carry the decision's basis (and so the tag).
  const cases = ['assistance_case', 'assistance_case', 'assistance_case'];
  expect(kindsTagged(await pullAs(playwright.request, baseURL!, 'office'), tag)).toEqual([...cases, 'parent_contact', 'talk', 'volunteer_session']);
  expect(kindsTagged(await pullAs(playwright.request, baseURL!, 'counselor'), tag)).toEqual([...cases, 'parent_contact', 'talk', 'volunteer_session']);
  // The case and its records are the class's staff's and the office's alone.
  expect(kindsTagged(await pullAs(playwright.request, baseURL!, 'counselor2'), tag)).toEqual([]);
  expect(kindsTagged(await pullAs(playwright.request, baseURL!, 'leader'), tag)).toEqual([]);

  // The record card, as the office files it: the student, the level, the process, the note.
  await page.goto(`/students/${levelTwo.id}/case-card`, { waitUntil: 'networkidle' });
  const card = page.getByRole('main');
  await expect(page.getByRole('heading', { name: '学生帮扶教育记录卡' })).toBeVisible();
  await expect(card).toContainText(levelTwo.name);
  await expect(card).toContainText(levelTwo.student_no);
  await expect(card).toContainText('二级帮扶');
  await expect(card).toContainText(`高等数学补考辅导 ${tag}`);
  await expect(card).toContainText(`书面预警通知书已寄出 ${tag}`);
  await expect(card).toContainText('注：该表正反打印，一式两份');
});

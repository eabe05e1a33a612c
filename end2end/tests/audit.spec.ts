import { test, expect } from '@playwright/test';
import { goOfflineWithAppCached, logIn, pullAs, syncStatus } from './helpers';

// The audit trail (issue 14) end to end: a counselor, offline in a corridor, opens a talk on the
// phone; the read is noted on the phone and, back online, uploaded with the next sync. The
// office, at a desk, finds it in the audit log (审计日志) as a read made on a phone, filters it
// by the counselor and by the talk's student, and exports the log.

test('a talk read offline reaches the office audit log with the next sync', async ({ page, browser, baseURL, playwright }) => {
  // A talk of the counselor's, as the server holds it.
  const talk = (await pullAs(playwright.request, baseURL!, 'counselor')).find((r) => r.record.body.kind === 'talk');
  expect(talk, 'the demo has a talk of the counselor').toBeTruthy();
  const studentId = talk!.record.body.data.student_id as number;

  await logIn(page, 'counselor');
  await page.waitForURL((u) => u.pathname === '/');
  await expect(syncStatus(page)).toContainText('已全部同步');
  await goOfflineWithAppCached(page);

  // Offline: the talk opens from the phone's own store.
  await page.goto(`/records/${talk!.record.id}`);
  await expect(page.getByRole('heading', { level: 1, name: /谈心谈话/ })).toBeVisible();
  // The read waits on the phone until the network is back.
  await expect
    .poll(() =>
      page.evaluate(async () => {
        const open = (name: string) => new Promise<IDBDatabase>((ok, ko) => { const r = indexedDB.open(name); r.onsuccess = () => ok(r.result); r.onerror = () => ko(r.error); });
        const dbs = (await indexedDB.databases()).map((d) => d.name ?? '').filter((n) => n.startsWith('rounds-account-'));
        let pending = 0;
        for (const name of dbs) {
          const db = await open(name);
          const raw = await new Promise<unknown>((ok) => { const g = db.transaction('meta').objectStore('meta').get('audit_reads'); g.onsuccess = () => ok(g.result); g.onerror = () => ok(undefined); });
          if (typeof raw === 'string') pending += JSON.parse(raw).length;
          db.close();
        }
        return pending;
      }),
    )
    .toBeGreaterThan(0);

  // Back online: the sync uploads it.
  await page.context().setOffline(false);
  await page.getByRole('button', { name: '立即同步', exact: true }).click();
  await expect(syncStatus(page)).toContainText('已全部同步', { timeout: 30_000 });

  // The office's audit log shows the read, made on a phone, by the counselor.
  const desk = await browser.newContext({ baseURL, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const office = await desk.newPage();
  await logIn(office, 'office');
  await office.waitForURL((u) => u.pathname === '/');
  await office.goto('/office/audit', { waitUntil: 'networkidle' });
  await expect(office.getByRole('heading', { level: 1, name: '审计日志' })).toBeVisible();
  await office.getByRole('combobox', { name: '操作' }).selectOption({ label: '查阅保密记录' });
  const phoneRead = office.getByRole('row').filter({ hasText: '手机' }).filter({ hasText: '(counselor)' }).filter({ hasText: 'talk' });
  await expect(phoneRead.first()).toBeVisible();

  // Filtered by the talk's student (by student number), it is still there; by another staff
  // member, it is not.
  const roster = await (await office.request.get(`/api/v1/admin/students/${studentId}`)).json();
  await office.getByRole('searchbox', { name: '学生' }).fill(roster.student_no);
  await office.getByRole('searchbox', { name: '学生' }).press('Enter');
  await expect(phoneRead.first()).toBeVisible();
  const leader = await office.getByRole('combobox', { name: '教职工' }).locator('option', { hasText: '(leader)' }).getAttribute('value');
  await office.getByRole('combobox', { name: '教职工' }).selectOption(leader!);
  await expect(phoneRead).toHaveCount(0);

  // The export is a workbook.
  const href = await office.getByRole('link', { name: '导出 Excel' }).getAttribute('href');
  expect(href).toContain('/api/v1/audit.xlsx?');
  const xlsx = await office.request.get(href!);
  expect(xlsx.status()).toBe(200);
  expect(xlsx.headers()['content-type']).toContain('spreadsheetml');
  await desk.close();
});

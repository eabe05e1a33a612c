import { test, expect, type BrowserContext, type Page } from '@playwright/test';
import { logIn, pullAs, syncStatus } from './helpers';

// One phone, two people, and a night's dorm checks that never reached the server (issues 14.6
// and 15.1). Signing out never deletes the only copy of a record: it is kept on the phone,
// locked to its author, and sent when that author signs in again; another person who signs
// in on the same phone sees none of it and pushes none of it. Deleting it is its own act.

const ROOM = '1-101';

type Pulled = Awaited<ReturnType<typeof pullAs>>[number] & { record: { author_id?: number } };

const checksTagged = (records: Pulled[], notes: string) =>
  records.filter((r) => r.record.body.kind === 'dorm_check' && r.record.body.data.notes === notes);

async function goOffline(context: BrowserContext) {
  await context.setOffline(true);
  await context.route('**/*', (route) => route.abort('internetdisconnected'));
}

async function goOnline(context: BrowserContext) {
  await context.unrouteAll({ behavior: 'ignoreErrors' });
  await context.setOffline(false);
}

// Logs in, waits for the first sync and for the service worker, so the app starts offline.
async function readyPhone(page: Page, username: string) {
  await logIn(page, username);
  await expect(syncStatus(page)).toContainText('已全部同步', { timeout: 20_000 });
  await page.evaluate(() => navigator.serviceWorker.ready);
  if (!(await page.evaluate(() => navigator.serviceWorker.controller !== null))) {
    await page.reload();
  }
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 15_000 });
}

// A dorm check of ROOM saved on the phone with no network: everyone in, hygiene 良.
async function checkRoomOffline(page: Page, notes: string) {
  await page.getByRole('link', { name: '我的寝室', exact: true }).click();
  await page.getByRole('link', { name: new RegExp(`^${ROOM}(?!\\d)`) }).first().click();
  await page.getByRole('link', { name: '新建查寝', exact: true }).click();
  const hygiene = page.getByRole('radiogroup', { name: '内务卫生' }).or(page.getByRole('group', { name: '内务卫生' }));
  await hygiene.getByRole('radio', { name: '良', exact: true }).check();
  const present = page.getByRole('radio', { name: '在寝', exact: true });
  const count = await present.count();
  expect(count, `room ${ROOM} has residents`).toBeGreaterThan(0);
  for (let i = 0; i < count; i++) await present.nth(i).check();
  await page.getByRole('textbox', { name: '备注', exact: true }).fill(notes);
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await expect(page.getByText('已保存').first()).toBeVisible();
  await expect(syncStatus(page)).toContainText(/待同步\s*1\s*条/);
}

test('unsynced records survive sign-out, stay hidden from the next person, and sync when their author returns', async ({
  page,
  context,
  playwright,
  baseURL,
}) => {
  const notes = `kept-${Date.now()}`;
  await readyPhone(page, 'counselor');
  await goOffline(context);
  await checkRoomOffline(page, notes);

  // Sign-out tries to sync first; with no network it says what happens to the record.
  await page.getByRole('button', { name: '退出登录', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: /还有\s*1\s*条记录未同步/ });
  await expect(dialog).toBeVisible({ timeout: 20_000 });
  await expect(dialog).toContainText('只有您本人再次登录后才能看到');
  // Deleting is a separate act; cancelling the deletion comes back to the choice.
  await dialog.getByRole('button', { name: '删除这些未同步的记录…' }).click();
  await expect(page.getByRole('dialog', { name: /永久删除\s*1\s*条未同步的记录/ })).toBeVisible();
  await page.getByRole('button', { name: '取消', exact: true }).click();
  await page.getByRole('button', { name: '保留记录并退出', exact: true }).click();
  await expect(page.getByRole('button', { name: '登录', exact: true })).toBeVisible();

  // The server has not seen it.
  await goOnline(context);
  expect(checksTagged(await pullAs(playwright.request, baseURL!, 'office'), notes)).toHaveLength(0);

  // Someone else signs in on the same phone: nothing of the first person's, nothing pending.
  await logIn(page, 'counselor2');
  await expect(syncStatus(page)).toContainText('已全部同步', { timeout: 20_000 });
  await page.getByRole('link', { name: '我的记录', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: '我的记录' })).toBeVisible();
  await expect(page.getByText('待同步', { exact: true })).toHaveCount(0);
  await expect(page.getByText(notes)).toHaveCount(0);
  // Their sync ran, and pushed nothing of the first person's under their session.
  expect(checksTagged(await pullAs(playwright.request, baseURL!, 'office'), notes)).toHaveLength(0);

  // With nothing of their own unsynced, counselor2 signs straight out.
  await page.getByRole('button', { name: '退出登录', exact: true }).click();
  await expect(page.getByRole('button', { name: '登录', exact: true })).toBeVisible();
  await expect(page.getByRole('dialog')).toHaveCount(0);

  // The author returns: the record is there and goes to the server, as theirs.
  await logIn(page, 'counselor');
  await expect(syncStatus(page)).toContainText('已全部同步', { timeout: 20_000 });
  const onServer = checksTagged(await pullAs(playwright.request, baseURL!, 'office'), notes);
  expect(onServer, 'the kept dorm check reached the server once').toHaveLength(1);
  const mine = checksTagged(await pullAs(playwright.request, baseURL!, 'counselor'), notes);
  expect(mine.map((r) => r.record.id)).toEqual(onServer.map((r) => r.record.id));
});

test('deleting unsynced records at sign-out is its own act, confirmed twice', async ({ page, context, playwright, baseURL }) => {
  const notes = `discarded-${Date.now()}`;
  await readyPhone(page, 'counselor');
  await goOffline(context);
  await checkRoomOffline(page, notes);

  await page.getByRole('button', { name: '退出登录', exact: true }).click();
  const first = page.getByRole('dialog', { name: /还有\s*1\s*条记录未同步/ });
  await expect(first).toBeVisible({ timeout: 20_000 });
  await first.getByRole('button', { name: '删除这些未同步的记录…' }).click();
  const second = page.getByRole('dialog', { name: /永久删除\s*1\s*条未同步的记录/ });
  await expect(second).toContainText('删除后任何人都无法恢复');
  await second.getByRole('button', { name: '删除并退出', exact: true }).click();
  await expect(page.getByRole('button', { name: '登录', exact: true })).toBeVisible();

  await goOnline(context);
  await logIn(page, 'counselor');
  await expect(syncStatus(page)).toContainText('已全部同步', { timeout: 20_000 });
  expect(checksTagged(await pullAs(playwright.request, baseURL!, 'office'), notes)).toHaveLength(0);
});

test('signing out with everything synced leaves nothing of the account on the phone', async ({ page }) => {
  await readyPhone(page, 'counselor');
  await page.getByRole('button', { name: '退出登录', exact: true }).click();
  await expect(page.getByRole('button', { name: '登录', exact: true })).toBeVisible();
  const databases = await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name ?? ''));
  expect(databases.filter((n) => n.startsWith('rounds-account-'))).toEqual([]);
});

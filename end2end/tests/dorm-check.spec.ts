import {
  test,
  expect,
  type APIRequest,
  type APIRequestContext,
  type Locator,
  type Page,
} from '@playwright/test';

// These tests act like a person: they find things by role, label and text, as a screen reader
// would, never by CSS class or id. The demo institution (rounds-server demo) provides the
// accounts and room 1-101, which belongs to `counselor` and not to `counselor2`.

const PASSWORD = 'rounds-demo';
const ROOM = '1-101';

type PulledRecord = {
  seq: number;
  record: {
    id: string;
    revision: number;
    body: { kind: string; data: Record<string, unknown> };
  };
};
type PullPage = { records: PulledRecord[]; cursor: number; more: boolean; roster: unknown; user: unknown };

// --- helpers ---------------------------------------------------------------------------------------

async function logIn(page: Page, username: string, password = PASSWORD) {
  // Wait for the network to settle so the page is hydrated before we type into it.
  await page.goto('/login', { waitUntil: 'networkidle' });
  await page.getByLabel('用户名', { exact: true }).fill(username);
  await page.getByLabel('密码', { exact: true }).fill(password);
  await page.getByRole('button', { name: '登录', exact: true }).click();
}

const myRoomsHeading = (page: Page) => page.getByRole('heading', { level: 1, name: '我的寝室' });
const todayHeading = (page: Page) => page.getByRole('heading', { level: 1, name: '今日待办' });

// A room's link: its accessible name starts with the room number ("1-101 …", not "1-1010"), or,
// when the number sits in its own element right before the resident count (an accessible name
// like "1-1014人…"), the link holds an element reading exactly the room number.
const roomLink = (page: Page, room: string) =>
  page
    .getByRole('link', { name: new RegExp(`^${escapeRegExp(room)}(?!\\d)`) })
    .or(page.getByRole('link').filter({ has: page.getByText(room, { exact: true }) }));

function escapeRegExp(s: string) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// The sync status: "待同步 N 条" or "已全部同步". Other live regions (e.g. "已保存") are not it.
const syncStatus = (page: Page) =>
  page.getByRole('status').filter({ hasText: /待同步\s*\d+\s*条|已全部同步/ });

// A group of radios, whether it is a <fieldset> (role group) or role=radiogroup.
const radioGroup = (page: Page, name: string): Locator =>
  page.getByRole('radiogroup', { name }).or(page.getByRole('group', { name }));

async function apiSession(request: APIRequest, baseURL: string, username: string) {
  const api = await request.newContext({ baseURL });
  const res = await api.post('/api/v1/session', { data: { username, password: PASSWORD } });
  expect(res.ok(), `API log-in as ${username}: ${res.status()} ${await res.text()}`).toBe(true);
  return api;
}

// Every record the user may see, following the cursor until the server says there is no more.
async function pullAll(api: APIRequestContext): Promise<PulledRecord[]> {
  const records: PulledRecord[] = [];
  let since = 0;
  for (let pageNo = 0; pageNo < 1000; pageNo++) {
    const res = await api.get(`/api/v1/sync/pull?since=${since}`);
    expect(res.status(), `pull since=${since}: ${await res.text()}`).toBe(200);
    const body = (await res.json()) as PullPage;
    expect(Array.isArray(body.records), 'pull answers a records array').toBe(true);
    records.push(...body.records);
    if (!body.more) return records;
    expect(body.cursor, 'the cursor moves forward while there is more').toBeGreaterThan(since);
    since = body.cursor;
  }
  throw new Error('pull did not finish within 1000 pages');
}

const dormChecksWithNotes = (records: PulledRecord[], notes: string) =>
  records.filter((r) => r.record.body.kind === 'dorm_check' && r.record.body.data.notes === notes);

// --- the user story ----------------------------------------------------------------------------------

test('a counselor checks a dorm room offline, and it syncs when the phone is back online', async ({
  page,
  context,
  playwright,
  baseURL,
}) => {
  const notes = `e2e-${Date.now()}`;

  // Log in: the app opens on Today; my rooms are a tab away, with everything synced.
  await logIn(page, 'counselor');
  await expect(page).toHaveURL('/');
  await expect(todayHeading(page)).toBeVisible();
  await page.getByRole('link', { name: '我的寝室', exact: true }).click();
  await expect(myRoomsHeading(page)).toBeVisible();
  await expect(roomLink(page, ROOM)).toBeVisible();
  await expect(syncStatus(page)).toContainText('已全部同步');

  // The service worker is installed and controls the page (a first visit is not controlled yet).
  const ready = await page.evaluate(() =>
    Promise.race([
      navigator.serviceWorker.ready.then(() => true),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 30_000)),
    ]),
  );
  expect(ready, 'navigator.serviceWorker.ready resolves: the app registers a service worker').toBe(true);
  if (!(await page.evaluate(() => navigator.serviceWorker.controller !== null))) {
    await page.reload();
  }
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 15_000 });
  await expect(myRoomsHeading(page)).toBeVisible();
  await expect(roomLink(page, ROOM)).toBeVisible();

  // No network. Besides the browser's offline mode, every request that would reach the network
  // (the service worker's too) is aborted, so nothing can quietly come from the server.
  await context.setOffline(true);
  await context.route('**/*', (route) => route.abort('internetdisconnected'));

  // A reload with no network still starts the app, from the service worker and the local store.
  await page.reload();
  await expect(myRoomsHeading(page)).toBeVisible();
  await expect(roomLink(page, ROOM)).toBeVisible();

  // Open the room.
  await roomLink(page, ROOM).click();
  await expect(page).toHaveURL(/\/rooms\/[^/?#]+\/?$/);
  const roomId = decodeURIComponent(new URL(page.url()).pathname.replace(/\/$/, '').split('/').pop()!);
  await expect(page.getByRole('heading', { level: 1, name: new RegExp(escapeRegExp(ROOM)) })).toBeVisible();

  // A new dorm check.
  await page.getByRole('link', { name: '新建查寝', exact: true }).click();

  // Hygiene: 良.
  const hygiene = radioGroup(page, '内务卫生');
  for (const rating of ['优', '良', '中', '差']) {
    await expect(hygiene.getByRole('radio', { name: rating, exact: true })).toBeVisible();
  }
  await hygiene.getByRole('radio', { name: '良', exact: true }).check();

  // Residents: one group per student, named by the student's name, with 在寝 / 缺勤.
  // (The innermost groups holding a 在寝 radio, in case the list itself is a fieldset too.)
  const present = page.getByRole('radio', { name: '在寝', exact: true });
  const residents = page
    .getByRole('group')
    .filter({ has: present })
    .filter({ hasNot: page.getByRole('group').filter({ has: present }) });
  await expect
    .poll(() => residents.count(), { message: `room ${ROOM} has 4 or more residents` })
    .toBeGreaterThanOrEqual(4);
  const residentCount = await residents.count();
  await expect(residents.first()).toHaveAccessibleName(/\p{Script=Han}/u);

  // The first resident is out overnight; the others are in.
  await residents.first().getByRole('radio', { name: '缺勤', exact: true }).check();
  for (let i = 1; i < residentCount; i++) {
    await residents.nth(i).getByRole('radio', { name: '在寝', exact: true }).check();
  }
  const reason = page.getByRole('combobox', { name: '缺勤原因' });
  await expect(reason).toHaveCount(1);
  await expect(reason.getByRole('option')).toContainText(['请假', '夜不归宿', '校外租房', '其他']);
  await reason.selectOption({ label: '夜不归宿' });
  await expect(page.getByRole('textbox', { name: '说明', exact: true })).toBeVisible();

  // A safety hazard.
  await page.getByRole('button', { name: '添加安全隐患', exact: true }).click();
  await page.getByRole('combobox', { name: '隐患类型' }).selectOption({ index: 1 });
  await page.getByRole('textbox', { name: '隐患描述', exact: true }).fill('违规使用大功率电器');
  await page.getByRole('textbox', { name: '整改措施', exact: true }).fill('当场收缴，已告知学生');

  await page.getByRole('textbox', { name: '备注', exact: true }).fill(notes);
  await expect(page.getByRole('checkbox', { name: '集中查寝', exact: true })).toBeVisible();

  await page.getByRole('button', { name: '保存', exact: true }).click();

  // Saved on the phone, back on the room page, waiting to be synced.
  await expect(page.getByText('已保存').first()).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`/rooms/${escapeRegExp(encodeURIComponent(roomId))}/?$`));
  await expect(page.getByRole('heading', { level: 1, name: new RegExp(escapeRegExp(ROOM)) })).toBeVisible();
  await expect(syncStatus(page)).toContainText(/待同步\s*1\s*条/);

  // Still offline, the phone reloads (a crash, a dead battery): the check is still there, pending.
  await page.reload();
  await expect(syncStatus(page)).toContainText(/待同步\s*1\s*条/);
  await page.getByRole('link', { name: '我的记录', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: '我的记录' })).toBeVisible();
  await expect(page.getByText('待同步', { exact: true })).toHaveCount(1);

  // Back online: the outbox empties by itself.
  await context.unrouteAll({ behavior: 'ignoreErrors' });
  await context.setOffline(false);
  await expect(syncStatus(page)).toContainText('已全部同步', { timeout: 20_000 });

  // The server has exactly that one record, for that room, and shows it to its counselor...
  const counselor = await apiSession(playwright.request, baseURL!, 'counselor');
  const mine = dormChecksWithNotes(await pullAll(counselor), notes);
  expect(mine, `one dorm check with notes ${notes} on the server`).toHaveLength(1);
  expect(String(mine[0].record.body.data.room_id)).toBe(roomId);
  expect(mine[0].record.revision).toBe(1);
  await counselor.dispose();

  // ...and not to another counselor, who does not own room 1-101.
  const other = await apiSession(playwright.request, baseURL!, 'counselor2');
  const theirs = await pullAll(other);
  expect(theirs.filter((r) => r.record.id === mine[0].record.id)).toHaveLength(0);
  expect(dormChecksWithNotes(theirs, notes)).toHaveLength(0);
  await other.dispose();
});

// --- log-in ------------------------------------------------------------------------------------------

test('a wrong password is refused, and the login page stays', async ({ page }) => {
  await logIn(page, 'counselor', 'not-the-password');
  await expect(page.getByText('用户名或密码错误')).toBeVisible();
  await expect(page).toHaveURL(/\/login(?:[?#]|$)/);
  await expect(page.getByRole('button', { name: '登录', exact: true })).toBeVisible();
  await expect(todayHeading(page)).toHaveCount(0);
});

// --- language ----------------------------------------------------------------------------------------

test('the language toggle switches to English and back', async ({ page }) => {
  await logIn(page, 'counselor');
  await expect(todayHeading(page)).toBeVisible();
  await expect(syncStatus(page)).toContainText('已全部同步'); // the app is up and running

  await page.getByRole('button', { name: 'English', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Today' })).toBeVisible();
  await expect(todayHeading(page)).toHaveCount(0);
  const chinese = page.getByRole('button', { name: '中文', exact: true });
  await expect(chinese).toBeVisible();

  await chinese.click();
  await expect(todayHeading(page)).toBeVisible();
  await expect(page.getByRole('button', { name: 'English', exact: true })).toBeVisible();
});

// --- installability ----------------------------------------------------------------------------------

test('the app is installable: a web app manifest with a maskable icon', async ({ page, request }) => {
  const res = await request.get('/manifest.webmanifest');
  expect(res.status()).toBe(200);
  expect(res.headers()['content-type'] ?? '').toMatch(/json/);
  const manifest = await res.json();

  expect(typeof manifest.name === 'string' && manifest.name.length > 0, 'manifest.name').toBe(true);
  expect(typeof manifest.short_name === 'string' && manifest.short_name.length > 0, 'manifest.short_name').toBe(true);
  expect(typeof manifest.start_url, 'manifest.start_url').toBe('string');
  expect(manifest.display).toBe('standalone');

  const icons = manifest.icons as { src: string; sizes?: string; type?: string; purpose?: string }[];
  expect(Array.isArray(icons) && icons.length > 0, 'manifest.icons').toBe(true);
  expect(
    icons.some((icon) => (icon.purpose ?? '').split(/\s+/).includes('maskable')),
    'an icon with purpose maskable',
  ).toBe(true);
  for (const icon of icons) {
    const url = new URL(icon.src, res.url()).toString();
    const iconRes = await request.get(url);
    expect(iconRes.status(), `icon ${url}`).toBe(200);
  }

  // The page links the manifest (a <head> element: there is nothing a person could see).
  await page.goto('/login');
  const link = page.locator('link[rel="manifest"]');
  await expect(link).toHaveCount(1);
  await expect(link).toHaveAttribute('href', /manifest\.webmanifest/);
});

import { test, expect, type APIRequest, type Page } from '@playwright/test';
import { createHash } from 'node:crypto';
import { logIn, PASSWORD, pullAs, syncStatus } from './helpers';

// A photo taken with no signal stays on the phone (through a reload), goes up with its record
// when the network is back, and is then served to those who may see the record.

type PhotoRef = { sha256: string; content_type: string; width: number; height: number; bytes: number };

// A 2000×1000 PNG made by the browser's canvas: big enough that the app must downscale it.
async function widePng(page: Page): Promise<Buffer> {
  const dataUrl = await page.evaluate(() => {
    const canvas = document.createElement('canvas');
    canvas.width = 2000;
    canvas.height = 1000;
    const g = canvas.getContext('2d');
    if (!g) throw new Error('no 2d canvas');
    g.fillStyle = '#0b7285';
    g.fillRect(0, 0, 2000, 1000);
    g.fillStyle = '#f59f00';
    g.fillRect(200, 200, 600, 400);
    return canvas.toDataURL('image/png');
  });
  return Buffer.from(dataUrl.split(',')[1], 'base64');
}

async function apiAs(request: APIRequest, baseURL: string, username: string) {
  const api = await request.newContext({ baseURL });
  const res = await api.post('/api/v1/session', { data: { username, password: PASSWORD } });
  expect(res.ok(), `API log-in as ${username}`).toBe(true);
  return api;
}

test('a photo taken offline is kept, uploaded when online, and served to those who may see it', async ({
  page,
  context,
  playwright,
  baseURL,
}) => {
  const tag = `e2e-photo-${Date.now()}`;
  await logIn(page, 'counselor');
  await expect(syncStatus(page)).toContainText('已全部同步');

  // The service worker must control the page for an offline reload to start the app.
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  if (!(await page.evaluate(() => navigator.serviceWorker.controller !== null))) {
    await page.reload();
  }
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 15_000 });
  const png = await widePng(page);

  // No network at all from here.
  await context.setOffline(true);
  await context.route('**/*', (route) => route.abort('internetdisconnected'));

  // A dorm visit of room 1-101, with a photo.
  await page.getByRole('link', { name: '我的寝室', exact: true }).click();
  await page.getByRole('link', { name: /^1-101/ }).click();
  const roomUrl = page.url();
  await page.getByRole('link', { name: '深入宿舍', exact: true }).click();
  await page.getByRole('textbox', { name: '学习、生活、思想情况', exact: true }).fill(tag);

  const photos = page.getByRole('group', { name: '照片', exact: true });
  await photos.getByLabel('添加照片', { exact: true }).setInputFiles({ name: 'room.png', mimeType: 'image/png', buffer: png });
  await expect(photos.getByRole('img', { name: '照片 1', exact: true })).toBeVisible();
  await expect(photos.getByRole('button', { name: '删除照片 1', exact: true })).toBeVisible();

  await page.getByRole('button', { name: '保存', exact: true }).click();
  await expect(page.getByText('已保存').first()).toBeVisible();
  await expect(syncStatus(page)).toContainText(/待同步\s*1\s*条/);

  // Back on the room; then a reload with no network: the record and its photo are still on the phone.
  await expect(page).toHaveURL(roomUrl);
  await page.reload();
  await expect(syncStatus(page)).toContainText(/待同步\s*1\s*条/);
  const thumb = page.getByRole('listitem').filter({ hasText: '待同步' }).getByRole('img', { name: '照片 1', exact: true });
  await expect(thumb).toBeVisible();
  // The local copy, downscaled: 1600 px wide.
  await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(1600);

  // Back online: the photo goes up, then the record.
  await context.unrouteAll({ behavior: 'ignoreErrors' });
  await context.setOffline(false);
  await expect(syncStatus(page)).toContainText('已全部同步', { timeout: 30_000 });

  // The server holds the record with its photo, downscaled to 1600 px on the long edge as JPEG.
  const mine = (await pullAs(playwright.request, baseURL!, 'counselor')).filter((r) => JSON.stringify(r.record.body.data).includes(tag));
  expect(mine).toHaveLength(1);
  expect(mine[0].record.body.kind).toBe('dorm_visit');
  const refs = (mine[0].record as unknown as { photos?: PhotoRef[] }).photos ?? [];
  expect(refs).toHaveLength(1);
  const [ref] = refs;
  expect(ref).toMatchObject({ content_type: 'image/jpeg', width: 1600, height: 800 });
  expect(ref.sha256).toMatch(/^[0-9a-f]{64}$/);

  // The photo's URL answers its bytes to the counselor and to the office…
  for (const username of ['counselor', 'office']) {
    const api = await apiAs(playwright.request, baseURL!, username);
    const res = await api.get(`/api/v1/photos/${ref.sha256}`);
    expect(res.status(), `${username} fetches the photo`).toBe(200);
    expect(res.headers()['content-type']).toBe('image/jpeg');
    expect(res.headers()['cache-control']).toBe('private, max-age=31536000, immutable');
    const body = await res.body();
    expect(body.length).toBe(ref.bytes);
    expect(createHash('sha256').update(body).digest('hex')).toBe(ref.sha256);
    await api.dispose();
  }

  // …but not to a counselor of other classes, who cannot see the record.
  const other = await apiAs(playwright.request, baseURL!, 'counselor2');
  expect((await other.get(`/api/v1/photos/${ref.sha256}`)).status()).toBe(404);
  await other.dispose();

  // In the browser, the thumbnail of the synced record still shows.
  await expect(page.getByRole('img', { name: '照片 1', exact: true }).first()).toBeVisible();
});

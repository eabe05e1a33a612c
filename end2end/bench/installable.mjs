// Whether Chromium itself would offer to install Rounds (PWA installability): its own check,
// `Page.getInstallabilityErrors` over the Chrome DevTools Protocol, after the service worker is
// ready. Lighthouse 12 dropped its PWA category, so this stands in for it. Prints; asserts nothing.
//
//   node bench/installable.mjs http://127.0.0.1:3190

import { chromium } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BASE = process.argv[2] ?? 'http://127.0.0.1:3190';
// A profile on disk: Chromium offers no installation in an incognito-like context.
const profile = mkdtempSync(join(tmpdir(), 'rounds-installable-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = await context.newPage();
await page.goto(`${BASE}/login`, { waitUntil: 'networkidle' });
await page.evaluate(() => navigator.serviceWorker.ready);
const cdp = await context.newCDPSession(page);
const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
const errors = installabilityErrors.map((e) => e.errorId);
console.log(`  PWA installable (Chromium's check): ${errors.length === 0 ? 'yes' : `no: ${errors.join(', ')}`}`);
await context.close();
rmSync(profile, { recursive: true, force: true });

// Takes screenshots of pages for a person to look at (not a test):
//   node screenshots.mjs [base-url] [out-dir] [path ...]
// Each path is shot in light and dark, at desktop and phone width. With SHOT_EMAIL and
// SHOT_PASSWORD set, each browser context signs in first (for the signed-in pages).
import { chromium } from '@playwright/test';

const [base = 'http://127.0.0.1:3000', out = '/tmp/shots', ...paths] = process.argv.slice(2);
const targets = paths.length ? paths : ['/', '/reference', '/reference/model-metrics'];
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
for (const scheme of ['light', 'dark']) {
  for (const [label, viewport] of [['desktop', { width: 1280, height: 900 }], ['phone', { width: 390, height: 844 }]]) {
    const context = await browser.newContext({ viewport, colorScheme: scheme, deviceScaleFactor: 1 });
    if (process.env.SHOT_EMAIL) {
      const reply = await context.request.post(base + '/api/account/signin', {
        form: { email: process.env.SHOT_EMAIL, password: process.env.SHOT_PASSWORD ?? '' },
      });
      if (!reply.ok()) throw new Error(`sign-in failed: ${reply.status()} ${await reply.text()}`);
    }
    const page = await context.newPage();
    for (const path of targets) {
      await page.goto(base + path, { waitUntil: 'networkidle' });
      const name = `${out}/${path.replace(/[^a-z0-9]+/gi, '_') || 'home'}-${scheme}-${label}.png`;
      await page.screenshot({ path: name, fullPage: label === 'phone' ? false : true });
      console.log(name);
    }
    await context.close();
  }
}
await browser.close();

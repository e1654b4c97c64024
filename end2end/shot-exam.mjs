// Screenshots of a mock exam scrolled down, with focus moved back up by Shift+Tab, at desktop
// and phone width, light and dark (to look at the sticky exam bar against the focused control):
//   node shot-exam.mjs [base-url] [out-dir]
// Signs up a fresh account (SHOT_PASSWORD or a default) and starts a 10-question exam.
import { chromium } from '@playwright/test';

const [base = 'http://127.0.0.1:3000', out = '/tmp/shots'] = process.argv.slice(2);
const password = process.env.SHOT_PASSWORD ?? 'a long enough passphrase';
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
});
for (const scheme of ['light', 'dark'])
for (const [size, viewport] of [['desktop', { width: 1280, height: 720 }], ['phone', { width: 390, height: 700 }]]) {
  const label = `${scheme}-${size}`;
  const context = await browser.newContext({ viewport, colorScheme: scheme, deviceScaleFactor: 1 });
  const email = `shot-${label}-${Date.now()}@example.org`;
  const reply = await context.request.post(base + '/api/account/signup', {
    form: { email, display_name: 'Screenshot', password, confirm: password },
  });
  if (!reply.ok()) throw new Error(`sign-up failed: ${reply.status()} ${await reply.text()}`);
  const started = await context.request.post(base + '/api/exams/start', { form: { questions: '10' } });
  if (!started.ok()) throw new Error(`start failed: ${started.status()} ${await started.text()}`);
  const page = await context.newPage();
  await page.goto(base + '/exams', { waitUntil: 'networkidle' });
  await page.getByRole('link', { name: /continue|resume/i }).first().click();
  await page.waitForSelector('[data-testid="question"]');
  await page.waitForTimeout(500);
  // To the bottom, then Shift+Tab up until a navigator button has focus.
  await page.locator('body').focus();
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press('Shift+Tab');
    if (await page.evaluate(() => !!document.activeElement?.closest('.navigator'))) break;
  }
  const where = () => page.evaluate(() => `${document.activeElement.textContent.trim()} at y=${Math.round(document.activeElement.getBoundingClientRect().top)} (scrollY ${Math.round(window.scrollY)})`);
  console.log('right after focus:', await where());
  await page.waitForTimeout(1000);
  const name = `${out}/exam-focus-${label}.png`;
  await page.mouse.wheel(0, 300);
  await page.waitForTimeout(500);
  await page.screenshot({ path: `${out}/exam-scrolled-${label}.png` });
  await page.screenshot({ path: name });
  console.log(name, await page.evaluate(() => {
    const el = document.activeElement;
    const r = el.getBoundingClientRect();
    return `${el.textContent.trim()} at y=${Math.round(r.top)} (scrollY ${Math.round(window.scrollY)})`;
  }));
  await context.close();
}
await browser.close();

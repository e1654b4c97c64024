// Screenshots of signed-in practice for a person to look at (not a test): a set started and
// answered in one browser, light and dark, then the same account in a second browser (the set follows):
//   node shot-practice.mjs [base-url] [out-dir]
import { chromium } from '@playwright/test';

const [base = 'http://127.0.0.1:3000', out = '/tmp/shots'] = process.argv.slice(2);
const password = 'a long enough passphrase';
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
});
for (const scheme of ['light', 'dark']) {
const email = `shot-practice-${scheme}-${Date.now()}@example.org`;
const open = async (viewport, signUp) => {
  const context = await browser.newContext({ viewport, colorScheme: scheme, deviceScaleFactor: 1 });
  const path = signUp ? '/api/account/signup' : '/api/account/signin';
  const reply = await context.request.post(base + path, {
    form: { email, display_name: 'Screenshot', password, confirm: password },
  });
  if (!reply.ok()) throw new Error(`${path}: ${reply.status()} ${await reply.text()}`);
  return context;
};
const laptop = await open({ width: 1280, height: 900 }, true);
const page = await laptop.newPage();
await page.goto(base + '/practice', { waitUntil: 'networkidle' });
await page.waitForFunction(() => document.documentElement.dataset.hydrated === 'true');
await page.getByTestId('type').selectOption('single');
await page.getByTestId('count').fill('3');
await page.getByTestId('start-practice').click();
await page.getByTestId('question').waitFor();
await page.locator('[data-choice]').first().check();
await page.getByTestId('submit').click();
await page.getByTestId('feedback').waitFor();
await page.screenshot({ path: `${out}/practice-feedback-${scheme}-desktop.png` });
await page.getByTestId('next').click();
await page.waitForTimeout(500);
const shown = await page.getByTestId('question').getAttribute('data-question-id');
const phone = await open({ width: 390, height: 844 }, false);
const other = await phone.newPage();
await other.goto(base + '/practice', { waitUntil: 'networkidle' });
const there = await other.getByTestId('question').getAttribute('data-question-id');
await other.screenshot({ path: `${out}/practice-other-browser-${scheme}-phone.png` });
console.log(`${scheme}: laptop shows ${shown}, the phone ${there}: ${shown === there ? 'same question' : 'DIFFERENT'}`);
}
await browser.close();

import AxeBuilder from '@axe-core/playwright';
import { execFileSync } from 'node:child_process';
import { test, expect, waitForHydration, freshEmail, PASSWORD, WCAG } from './fixtures';
import type { Page } from '@playwright/test';
import { fillAnswer, questionOnCard } from './answering';

async function signUpAs(page: Page, email: string, name: string) {
  await page.goto('/signup?next=/account');
  await waitForHydration(page);
  await page.getByTestId('email-input').fill(email);
  await page.getByTestId('display_name-input').fill(name);
  await page.getByTestId('password-input').fill(PASSWORD);
  await page.getByTestId('signup-submit').click();
  // (The sign-up address ends in `next=/account` too: wait for the path itself.)
  await page.waitForURL((url) => url.pathname === '/account');
  // Signing up loads the next page afresh: let it finish before going elsewhere.
  await page.waitForLoadState('load');
  await waitForHydration(page);
}

test('a learner reports a wrong key; an admin answers; the learner sees the answer', async ({ page, browser }) => {
  // The learner answers a question, then reports it from the feedback.
  await signUpAs(page, freshEmail('reporter'), 'Reporter');
  await page.goto('/practice');
  await waitForHydration(page);
  await page.getByTestId('type').selectOption('single');
  await page.getByTestId('count').fill('1');
  await page.getByTestId('start-practice').click();
  const card = page.getByTestId('question');
  await expect(card).toBeVisible();
  const q = await questionOnCard(page, card);
  await fillAnswer(page, card, q, false);
  await page.getByTestId('submit').click();
  await expect(page.getByTestId('feedback')).toBeVisible();
  await page.getByTestId('report-problem').locator('summary').click();
  await page.getByTestId('report-reason').selectOption('wrong_key');
  await page.getByTestId('report-details').fill('I think option two is also right; see the docs.');
  await page.getByTestId('report-submit').click();
  await expect(page.getByTestId('report-sent')).toBeVisible();
  await page.goto('/account');
  await expect(page.getByTestId('my-reports').getByTestId('report-status')).toHaveText('Open');
  await expect(page.getByTestId('my-reports')).toContainText(`Question ${q.id}`);

  // A site admin (made one in the database, as `server admin create-user --admin` would).
  const adminEmail = freshEmail('admin');
  const context = await browser.newContext();
  const admin = await context.newPage();
  await signUpAs(admin, adminEmail, 'Site Admin');
  execFileSync('psql', [process.env.DATABASE_URL!, '-At', '-c', `update app_user set is_admin = true where email = '${adminEmail}'`]);
  await admin.goto('/admin/reports');
  await waitForHydration(admin);
  const violations = await new AxeBuilder({ page: admin }).withTags(WCAG).analyze();
  expect(violations.violations.map((v) => `${v.id}: ${v.nodes[0]?.target.join(' ')}`), '/admin/reports').toEqual([]);
  await admin.getByTestId('report-filter-question').fill(q.id);
  await admin.getByTestId('report-filter-question').press('Tab');
  const item = admin.getByTestId('report-queue').getByTestId('report').first();
  await expect(item).toContainText('I think option two is also right');
  await expect(item).toContainText('from Reporter');
  // By keyboard: choose the status, type the reply, Tab to Save, Enter.
  await item.getByTestId('report-answer-status').selectOption('rejected');
  await item.getByTestId('report-answer-reply').focus();
  await admin.keyboard.type('The key is right: option two misses the quota reserve.');
  await admin.keyboard.press('Tab');
  await expect(item.getByTestId('report-answer-submit')).toBeFocused();
  await admin.keyboard.press('Enter');
  await expect(admin.getByTestId('report-queue')).not.toContainText('I think option two is also right');
  await context.close();

  // The learner sees the status and the reply.
  await page.reload();
  await expect(page.getByTestId('my-reports').getByTestId('report-status')).toHaveText('Not a problem');
  await expect(page.getByTestId('my-reports').getByTestId('report-reply')).toContainText('misses the quota reserve');
});

test('a reference section can be reported, and the form passes axe', async ({ page }) => {
  await signUpAs(page, freshEmail('reader'), 'Reader');
  await page.goto('/reference/online-endpoints');
  await waitForHydration(page);
  await page.getByTestId('report-problem').locator('summary').click();
  await page.getByTestId('report-section').selectOption({ index: 1 });
  await page.getByTestId('report-reason').selectOption('outdated');
  const violations = await new AxeBuilder({ page }).withTags(WCAG).analyze();
  expect(violations.violations.map((v) => `${v.id}: ${v.nodes[0]?.target.join(' ')}`), 'the report form').toEqual([]);
  await page.getByTestId('report-submit').click();
  await expect(page.getByTestId('report-sent')).toBeVisible();
  await page.goto('/account');
  await expect(page.getByTestId('my-reports')).toContainText('Page: Online endpoints');
});

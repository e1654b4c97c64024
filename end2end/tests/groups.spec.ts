import AxeBuilder from '@axe-core/playwright';
import { test, expect, waitForHydration, signUp, WCAG } from './fixtures';
import type { Page } from '@playwright/test';
import { fillAnswer, questionOnCard } from './answering';


/** `YYYY-MM-DDTHH:MM` in UTC, `minutes` from now. */
function utc(minutes: number) {
  return new Date(Date.now() + minutes * 60_000).toISOString().slice(0, 16);
}

async function noViolations(page: Page, what: string) {
  const results = await new AxeBuilder({ page }).withTags(WCAG).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes[0]?.target.join(' ')}`), what).toEqual([]);
}

test('an instructor invites a learner and assigns an exam; the learner takes it; the instructor sees the result and the item analysis', async ({ browser, page }) => {
  // The instructor: a group, an invite link, an assignment.
  await signUp(page, { name: 'Grace', next: '/groups' });
  await waitForHydration(page);
  await page.getByTestId('name-input').fill('MLOps evening class');
  await page.getByTestId('create-group-submit').click();
  await page.waitForURL(/\/groups\/\d+$/);
  const groupUrl = page.url();
  await waitForHydration(page);
  await page.getByTestId('create-invite').click();
  const link = await page.getByTestId('invite-link').first().textContent();
  expect(link).toMatch(/\/join\/[a-z2-9]{10}$/);
  await page.getByTestId('assign-form').locator('summary').click();
  await page.getByTestId('input[title]-input').fill('Week 1 check');
  await page.getByTestId('input[questions]-input').fill('3');
  await page.getByTestId('input[opens_at]-input').fill(utc(-5));
  await page.getByTestId('input[due_at]-input').fill(utc(24 * 60));
  await page.getByTestId('assign-form').getByLabel('Single choice').check();
  await page.getByTestId('assign-submit').click();
  await expect(page.getByTestId('assignment-row')).toContainText('Week 1 check');
  await noViolations(page, 'the group page, as its owner');

  // The learner: joins through the link, takes the exam.
  const learnerContext = await browser.newContext();
  const learner = await learnerContext.newPage();
  const joinPath = new URL(link!).pathname;
  await signUp(learner, { name: 'Ada', next: joinPath });
  await waitForHydration(learner);
  await learner.getByTestId('join-submit').click();
  await learner.waitForURL(groupUrl);
  await expect(learner.getByTestId('assignment-status')).toContainText('Not started');
  await learner.getByTestId('start-assignment').click();
  await learner.waitForURL(/\/exams\/\d+$/);
  await waitForHydration(learner);
  learner.on('dialog', (dialog) => dialog.accept());
  for (let n = 0; n < 3; n++) {
    const card = learner.getByTestId('question');
    await expect(card).toHaveAttribute('data-position', String(n));
    await fillAnswer(learner, card, await questionOnCard(learner, card), n < 2);
    await expect(learner.getByTestId('save-status')).toHaveText('All answers saved');
    if (n < 2) await learner.getByTestId('next').click();
  }
  await learner.getByTestId('review').click();
  await learner.getByTestId('submit-exam').click();
  await expect(learner.getByTestId('results')).toBeVisible();
  await learner.goto('/progress');
  await expect(learner.getByTestId('assignments')).toContainText('Submitted');
  await learnerContext.close();

  // The instructor: the result and the item analysis.
  await page.goto(groupUrl);
  await expect(page.getByTestId('members')).toContainText('Ada');
  await page.getByTestId('assignment-results').click();
  const results = page.getByTestId('member-results');
  await expect(results).toContainText('Ada');
  await expect(results).toContainText('Submitted');
  // Two of three right: 67% of the points.
  await expect(results).toContainText('Fail');
  await expect(page.getByTestId('item-analysis').locator('tbody tr')).toHaveCount(3);
  await expect(page.getByTestId('item-analysis')).toContainText('100%');
  await noViolations(page, 'the assignment results');
  await page.getByRole('link', { name: /Answers/ }).click();
  await expect(page.getByTestId('results')).toBeVisible();
  await expect(page.getByTestId('result-item')).toHaveCount(3);
});

test('an instructor imports a GIFT file into the group bank; errors are listed with their lines', async ({ page }) => {
  await signUp(page, { name: 'Alan', next: '/groups' });
  await waitForHydration(page);
  await page.getByTestId('name-input').fill('Import test');
  await page.getByTestId('create-group-submit').click();
  await page.waitForURL(/\/groups\/\d+$/);
  await waitForHydration(page);
  await page.getByTestId('import-form').locator('summary').click();
  await page.getByTestId('gift-text').fill('Good. {=a ~b}\n\nBroken {=a ~b\n');
  await page.getByTestId('import-submit').click();
  await expect(page.getByTestId('import-error').first()).toContainText('line 3');
  await page.getByTestId('gift-text').fill('::Q1::Where do models go? {=A registry ~A folder}\n\nName it. {=MLflow}\n');
  await page.getByTestId('import-submit').click();
  await expect(page.getByTestId('import-summary')).toContainText('Imported 1 question');
  await expect(page.getByTestId('import-summary')).toContainText('line 3: short answer');
  await expect(page.getByTestId('bank-count')).toContainText('1 question');
});

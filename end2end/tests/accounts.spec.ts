import AxeBuilder from '@axe-core/playwright';
import { test, expect, waitForHydration, WCAG } from './fixtures';
import type { Page } from '@playwright/test';
import { fillAnswer, questionOnCard } from './answering';

const PASSWORD = 'copper kettle marches north';

function uniqueEmail() {
  return `learner-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.org`;
}

async function signUp(page: Page, email: string, name = 'Ada Tester') {
  await page.goto('/signup');
  await waitForHydration(page);
  await page.getByTestId('email-input').fill(email);
  await page.getByTestId('display_name-input').fill(name);
  await page.getByTestId('password-input').fill(PASSWORD);
  await page.getByTestId('signup-submit').click();
  await page.waitForURL('**/progress');
  await expect(page.getByTestId('user-name')).toContainText(name);
}

async function signIn(page: Page, email: string, password = PASSWORD) {
  await page.goto('/login');
  await waitForHydration(page);
  await page.getByTestId('email-input').fill(email);
  await page.getByTestId('password-input').fill(password);
  await page.getByTestId('login-submit').click();
}

/** Answers `count` single-answer questions right through the practice page. */
async function practise(page: Page, count: number) {
  await page.goto('/practice');
  await waitForHydration(page);
  await page.getByTestId('type').selectOption('single');
  await page.getByTestId('count').fill(String(count));
  await page.getByTestId('start-practice').click();
  for (let i = 0; i < count; i++) {
    const card = page.getByTestId('question');
    await expect(card).toBeVisible();
    await fillAnswer(page, card, await questionOnCard(page, card), true);
    await page.getByTestId('submit').click();
    await expect(page.getByTestId('feedback')).toHaveAttribute('data-correct', 'true');
    await page.getByTestId('next').click();
  }
  await expect(page.getByTestId('summary')).toBeVisible();
}

test('sign up, practise, see it on the dashboard, sign out, sign in: it is all still there', async ({ page }) => {
  const email = uniqueEmail();
  await signUp(page, email);
  await practise(page, 2);
  await page.goto('/progress');
  await expect(page.getByTestId('stat-answers')).toHaveText('2');
  await expect(page.getByTestId('stat-seen')).toHaveText('2');
  await expect(page.getByTestId('activity').locator('li')).toHaveCount(2);
  await expect(page.getByTestId('domain-chart').locator('svg[role="img"]')).toBeVisible();
  await page.getByTestId('sign-out').first().click();
  await page.waitForURL((url) => url.pathname === '/');
  await expect(page.getByTestId('sign-in-link')).toBeVisible();
  await page.goto('/progress');
  await expect(page.getByTestId('sign-in-prompt')).toBeVisible();
  await signIn(page, email);
  await page.waitForURL('**/progress');
  await expect(page.getByTestId('stat-answers')).toHaveText('2');
});

test('practice done before signing up comes into the new account', async ({ page }) => {
  await practise(page, 1);
  await signUp(page, uniqueEmail());
  await expect(page.getByTestId('stat-answers')).toHaveText('1');
});

test('a wrong field gets its message next to it, and a wrong password a general one', async ({ page }) => {
  await page.goto('/signup');
  await waitForHydration(page);
  await page.getByTestId('email-input').fill('not-an-email@x');
  await page.getByTestId('display_name-input').fill('Ada');
  await page.getByTestId('password-input').fill('qwerty123456');
  await page.getByTestId('signup-submit').click();
  await expect(page.getByTestId('email-error')).toContainText('name@example.com');
  await expect(page.getByTestId('password-error')).toContainText('common');
  await expect(page.getByTestId('password-input')).toHaveAttribute('aria-invalid', 'true');
  await signIn(page, 'nobody@example.org', 'some wrong password');
  await expect(page.getByTestId('form-error')).toContainText('not right');
});

test('reading progress: mark a page read and the index counts it', async ({ page }) => {
  await signUp(page, uniqueEmail());
  await page.goto('/reference/cli-v2');
  await waitForHydration(page);
  await page.getByTestId('mark-read').click();
  await expect(page.getByTestId('mark-read')).toHaveAttribute('aria-pressed', 'true');
  await page.goto('/reference');
  await expect(page.getByTestId('reading-progress')).toContainText('1 of');
});

test('the review page takes an exam date and refuses a retention out of bounds', async ({ page }) => {
  await signUp(page, uniqueEmail());
  await page.goto('/review');
  await waitForHydration(page);
  await page.getByTestId('desired_retention-input').fill('99');
  await page.getByTestId('plan-submit').click();
  await expect(page.getByTestId('desired_retention-error')).toContainText('between 70% and 97%');
  const date = new Date(Date.now() + 30 * 86400_000).toISOString().slice(0, 10);
  await page.getByTestId('exam_date-input').fill(date);
  await page.getByTestId('desired_retention-input').fill('90');
  await page.getByTestId('plan-submit').click();
  await expect(page.getByTestId('days-to-exam')).toContainText('30 days to your exam');
});

test('signed-in pages have no detectable accessibility violations', async ({ page }) => {
  await signUp(page, uniqueEmail());
  await practise(page, 1);
  for (const path of ['/progress', '/review', '/account', '/exams']) {
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(path);
      await waitForHydration(page);
      const results = await new AxeBuilder({ page }).withTags(WCAG).analyze();
      expect(results.violations.map((v) => `${path} ${scheme} ${v.id}: ${v.nodes[0]?.target.join(' ')}`)).toEqual([]);
    }
  }
});

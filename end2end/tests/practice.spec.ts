import { test, expect, waitForHydration } from './fixtures';
import type { Page } from '@playwright/test';
import { bank, fillAnswer, type Question } from './answering';

async function startSet(page: Page, type: string, count = 2) {
  await page.goto('/practice');
  await waitForHydration(page);
  await page.getByTestId('type').selectOption(type);
  await page.getByTestId('count').fill(String(count));
  await page.getByTestId('start-practice').click();
  await expect(page.getByTestId('question')).toHaveAttribute('data-type', type);
}

async function current(page: Page): Promise<Question> {
  const id = await page.getByTestId('question').getAttribute('data-question-id');
  const q = bank.get(id!);
  expect(q, `question ${id} is in the bank`).toBeTruthy();
  return q!;
}

/** Answers the current question, right or wrong, through the page's own controls. */
async function answer(page: Page, right: boolean) {
  const q = await current(page);
  await fillAnswer(page, page.getByTestId('question'), q, right);
  await page.getByTestId('submit').click();
  const feedback = page.getByTestId('feedback');
  await expect(feedback).toBeVisible();
  await expect(feedback).toHaveAttribute('data-correct', String(right));
}

for (const type of ['single', 'multi', 'order', 'yesno', 'case', 'drill', 'diagram']) {
  test(`${type}: a right answer and a wrong answer get the right verdict and explanations`, async ({ page }) => {
    await startSet(page, type, 2);
    await answer(page, true);
    await expect(page.getByTestId('feedback').locator('.feedback__parts li').first()).toBeVisible();
    await expect(page.getByTestId('feedback').getByRole('link').first()).toHaveAttribute('href', /^\/reference\//);
    await page.getByTestId('next').click();
    await expect(page.getByText('Question 2 of 2')).toBeVisible();
    await answer(page, false);
    await page.getByTestId('next').click();
    await expect(page.getByTestId('summary')).toContainText('1 of 2 answered correctly');
  });
}

test('keyboard shortcuts: a digit chooses, Enter submits, N moves on', async ({ page }) => {
  await startSet(page, 'single', 2);
  await page.keyboard.press('2');
  await expect(page.getByTestId('choice-2')).toBeChecked();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('feedback')).toBeVisible();
  await page.keyboard.press('n');
  await expect(page.getByText('Question 2 of 2')).toBeVisible();
});

test('a choose-N question asks for exactly N selections before submitting', async ({ page }) => {
  await startSet(page, 'multi', 1);
  await page.getByTestId('choice-1').check();
  await page.getByTestId('submit').click();
  await expect(page.getByTestId('hint')).toContainText('Select exactly');
  await expect(page.getByTestId('feedback')).toHaveCount(0);
});

test('a set in progress survives a reload, and flags are remembered', async ({ page }) => {
  await startSet(page, 'single', 3);
  const id = await page.getByTestId('question').getAttribute('data-question-id');
  await page.getByTestId('flag').click();
  await expect(page.getByTestId('flag')).toHaveAttribute('aria-pressed', 'true');
  await page.reload();
  await expect(page.getByTestId('question')).toHaveAttribute('data-question-id', id!);
  await expect(page.getByTestId('flag')).toHaveAttribute('aria-pressed', 'true');
});

test('a question found by search opens in practice', async ({ page }) => {
  await page.goto('/search?q=canary');
  const hit = page.getByTestId('search-results').locator('a[href^="/practice?question="]').first();
  const href = await hit.getAttribute('href');
  const id = href!.split('=')[1];
  await waitForHydration(page);
  await hit.click();
  await expect(page.getByTestId('question')).toHaveAttribute('data-question-id', id);
  await expect(page).toHaveURL(/\/practice$/);
});

test('a reference page starts practice on its own questions', async ({ page }) => {
  await page.goto('/reference/batch-endpoints');
  await page.getByTestId('practice-page').click();
  await waitForHydration(page);
  await expect(page.getByTestId('page')).toHaveValue('batch-endpoints');
  await page.getByTestId('start-practice').click();
  await expect(page.getByTestId('question')).toBeVisible();
});

import AxeBuilder from '@axe-core/playwright';
import { test, expect, waitForHydration, signUp, WCAG } from './fixtures';
import type { Page } from '@playwright/test';
import { fillAnswer, questionOnCard } from './answering';
import { OwnServer } from './own-server';

async function startExam(page: Page, questions: number) {
  await waitForHydration(page);
  await page.getByTestId(`start-${questions}`).click();
  await page.waitForURL(/\/exams\/\d+$/);
  await waitForHydration(page);
  await expect(page.getByTestId('question')).toBeVisible();
}

/** Answers the question on screen with its key and waits until the server has it. */
async function answerCurrent(page: Page) {
  const card = page.getByTestId('question');
  await fillAnswer(page, card, await questionOnCard(page, card), true);
  await expect(page.getByTestId('save-status')).toHaveText('All answers saved');
}

test('signed out, the exam page explains and links to sign in', async ({ page }) => {
  await page.goto('/exams');
  await expect(page.getByTestId('sign-in-prompt')).toContainText('Sign in to sit a mock exam');
  await expect(page.getByTestId('sign-in-prompt').getByRole('link', { name: 'Sign in' })).toHaveAttribute('href', '/login?next=/exams');
});

test('a 10-question exam: answer, flag, review the unanswered and flagged, submit, see the results', async ({ page }) => {
  page.on('dialog', (dialog) => dialog.accept());
  await signUp(page, { name: 'Exam Taker', next: '/exams' });
  await startExam(page, 10);
  await expect(page.getByTestId('countdown')).toHaveText(/ (20:00|19:5\d)$/);
  const violations = await new AxeBuilder({ page }).withTags(WCAG).analyze();
  expect(violations.violations.map((v) => `${v.id}: ${v.nodes[0]?.target.join(' ')}`), 'an exam question').toEqual([]);
  for (let n = 1; n <= 10; n++) {
    await expect(page.getByTestId('question')).toHaveAttribute('data-position', String(n - 1));
    // Leave question 10 unanswered; flag question 3.
    if (n < 10) await answerCurrent(page);
    if (n === 3) {
      await page.getByTestId('flag').click();
      await expect(page.getByTestId('flag')).toHaveAttribute('aria-pressed', 'true');
    }
    if (n < 10) await page.getByTestId('next').click();
  }
  await expect(page.getByTestId('nav-3')).toHaveClass(/is-flagged/);
  await expect(page.getByTestId('nav-10')).not.toHaveClass(/is-answered/);
  await page.getByTestId('review').click();
  const review = page.getByTestId('review-screen');
  await expect(review).toContainText('9 of 10 questions answered');
  await expect(review.getByTestId('unanswered-list')).toContainText('Question 10');
  await expect(review.getByTestId('flagged-list')).toContainText('Question 3');
  const axe = async () =>
    (await new AxeBuilder({ page }).withTags(WCAG).analyze()).violations.map(
      (v) => `${v.id}: ${v.nodes[0]?.target.join(' ')}`,
    );
  // Polled: a save or the flag landing mid-scan can change the page under axe; a real
  // violation stays and still fails.
  await expect.poll(axe, { message: 'the review screen', timeout: 10_000 }).toEqual([]);
  await page.getByTestId('submit-exam').click();
  await expect(page.getByTestId('results')).toBeVisible();
  await expect.poll(axe, { message: 'the results', timeout: 10_000 }).toEqual([]);
  const score = Number(await page.getByTestId('scaled-score').textContent());
  // Nine of ten right: 90% of the points, 900 on the scale.
  expect(score).toBe(900);
  await expect(page.getByTestId('verdict')).toHaveText('Pass');
  await expect(page.getByTestId('result-item')).toHaveCount(10);
  await expect(page.getByTestId('by-domain')).toBeVisible();
  await page.goto('/exams');
  await expect(page.getByTestId('exam-history')).toContainText('900');
});

test('a closed case study shows as closed, in the navigator and on the review screen, and passes axe', async ({ page }) => {
  page.on('dialog', (dialog) => dialog.accept());
  await signUp(page, { name: 'Exam Taker', next: '/exams' });
  // The full exam always has a case study, in its own section at the end.
  await startExam(page, 50);
  const firstCase = page.locator('.navigator__section + li button');
  const casePosition = Number(await firstCase.getAttribute('data-testid').then((t) => t!.replace('nav-', '')));
  await firstCase.click();
  await expect(page.getByTestId('question')).toHaveAttribute('data-position', String(casePosition - 1));
  // Leaving the case study closes it (the browser asks first; the dialog is accepted).
  await page.getByTestId('nav-1').click();
  await expect(page.getByTestId('question')).toHaveAttribute('data-position', '0');
  await expect(page.getByTestId(`nav-${casePosition}`)).toBeDisabled();
  await expect(page.getByTestId(`nav-${casePosition}`)).toHaveClass(/is-locked/);
  await page.getByTestId('review').click();
  const closed = page.getByTestId('unanswered-list').getByText(`Question ${casePosition} (closed)`);
  await expect(closed).toBeVisible();
  // From the top of the page: axe's target-size rule counts a button the sticky exam bar
  // happens to cover at the current scroll position as too small, which says nothing about the
  // layout (a CI run failed on the navigator row that the focus scroll left under the bar).
  await page.evaluate(() => window.scrollTo(0, 0));
  const axe = async () =>
    (await new AxeBuilder({ page }).withTags(WCAG).analyze()).violations.map(
      (v) => `${v.id}: ${v.nodes[0]?.target.join(' ')}`,
    );
  await expect.poll(axe, { message: 'the review screen with closed questions', timeout: 10_000 }).toEqual([]);
});

test('killing the server mid-exam loses no saved answer, keeps the order and the clock', async ({ page }) => {
  // A second server of our own, on its own port and the same database, to kill with SIGKILL.
  const server = new OwnServer(3102);
  const base = server.base;
  try {
    await server.start();
    page.on('dialog', (dialog) => dialog.accept());
    await signUp(page, { name: 'Exam Taker', next: '/exams', base });
    await startExam(page, 10);
    const attempt = page.url().split('/').pop()!;
    const state = async () =>
      (await (await page.request.post(`${base}/api/exams/attempt`, { form: { id: attempt } })).json()).Open;
    const before = await state();
    for (let n = 0; n < 3; n++) {
      // The next question replaces the card once the server has moved there.
      await expect(page.getByTestId('question')).toHaveAttribute('data-position', String(n));
      await answerCurrent(page);
      await page.getByTestId('next').click();
    }
    const saved = (await state()).items.map((i: { response: unknown }) => i.response);
    expect(saved.filter((r: unknown) => r !== null)).toHaveLength(3);

    await server.kill();
    await server.start();

    await page.reload();
    await waitForHydration(page);
    await expect(page.getByTestId('question')).toHaveAttribute('data-position', '3');
    const after = await state();
    expect(after.items.map((i: { question: { id: string } }) => i.question.id)).toEqual(
      before.items.map((i: { question: { id: string } }) => i.question.id),
    );
    expect(after.items.map((i: { response: unknown }) => i.response)).toEqual(saved);
    expect(after.deadline_ms).toBe(before.deadline_ms);
    for (const n of [1, 2, 3]) await expect(page.getByTestId(`nav-${n}`)).toHaveClass(/is-answered/);
    await expect(page.getByTestId('countdown')).toHaveText(/ (1\d|20):\d\d$/);
  } finally {
    await server.kill();
  }
});

import { test, expect, waitForHydration, signUp } from './fixtures';

test("a group's imported questions are practised from the group page, with their feedback", async ({ page }) => {
  await signUp(page, { name: 'Ines', next: '/groups' });
  await waitForHydration(page);
  await page.getByTestId('name-input').fill('Own questions');
  await page.getByTestId('create-group-submit').click();
  await page.waitForURL(/\/groups\/\d+$/);
  const groupId = page.url().split('/').pop();
  await waitForHydration(page);
  await page.getByTestId('import-form').locator('summary').click();
  await page
    .getByTestId('gift-text')
    .fill(
      '::Registry::Where do approved models go? {=A shared registry#Right: every workspace sees it. ~A local folder#Nobody else can reach it. ####Registries share models.}\n\n' +
        '::Tracking::Which tool tracks runs here? {=MLflow#Right. ~A spreadsheet#Nothing logs to it by itself.}\n',
    );
  await page.getByTestId('import-submit').click();
  await expect(page.getByTestId('import-summary')).toContainText('Imported 2 question');
  await page.getByTestId('practise-group-bank').click();
  await page.waitForURL(`**/practice?group=${groupId}`);
  await waitForHydration(page);
  await expect(page.getByTestId('group')).toHaveValue(groupId!);
  // Exam domains and pages do not apply to a group's own questions.
  await expect(page.getByTestId('domain')).toBeDisabled();
  await page.getByTestId('start-practice').click();
  const card = page.getByTestId('question');
  await expect(card).toHaveAttribute('data-question-id', new RegExp(`^g${groupId}-`));
  await expect(page.getByText('Question 1 of 2')).toBeVisible();
  for (let n = 1; n <= 2; n++) {
    await expect(page.getByText(`Question ${n} of 2`)).toBeVisible();
    await card.getByText(/A shared registry|MLflow/).click();
    await page.getByTestId('submit').click();
    const feedback = page.getByTestId('feedback');
    await expect(feedback).toHaveAttribute('data-correct', 'true');
    await expect(feedback).toContainText('Right');
    await page.getByTestId('next').click();
  }
  await expect(page.getByTestId('summary')).toContainText('2 of 2 answered correctly');
});

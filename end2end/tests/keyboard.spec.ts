import type { Locator, Page } from '@playwright/test';
import { test, expect, waitForHydration } from './fixtures';
import { choiceId, drillOptionId, questionOnCard, stepIdsInKeyOrder, type Question } from './answering';

// Keyboard-only walks: practice and a mock exam with Tab, Shift+Tab, Enter, Space, the arrow
// keys and typing, never the mouse. Every focus stop on the way must show its focus ring.
// Where the app should move focus after replacing part of the page, the check is soft: the walk
// goes on (tabbing from wherever focus was left) so one run reports every problem.

import { PASSWORD } from './fixtures';

/** What has focus, for messages: `button[next] "Next →"` (tag, test id or id, name). */
async function focusedName(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return '<body> (focus lost)';
    const id = el.getAttribute('data-testid') ?? el.id;
    const text = (el.getAttribute('aria-label') ?? el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40);
    return `${el.tagName.toLowerCase()}${id ? `[${id}]` : ''} "${text}"`;
  });
}

/** Whether the focused element shows a focus indicator (an outline or a box shadow). */
async function expectFocusVisible(page: Page) {
  const ring = await page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    return { outline, shadow: style.boxShadow !== 'none', focusVisible: el.matches(':focus-visible') };
  });
  if (ring === null) return; // past the last stop: the browser's own controls have focus
  const name = await focusedName(page);
  expect(ring.focusVisible, `${name} matches :focus-visible`).toBe(true);
  expect(ring.outline || ring.shadow, `${name} has a visible outline or box shadow`).toBe(true);
  // WCAG 2.4.11: the browser scrolled it into view, and not under the sticky header or exam bar
  // (hidden = no point of it shows: each one is off screen or under a sticky bar it is not in).
  const hidden = await page.evaluate(() => {
    const el = document.activeElement!;
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height) return false;
    return [[0.5, 0.5], [0.1, 0.1], [0.9, 0.1], [0.1, 0.9], [0.9, 0.9]].every(([x, y]) => {
      const hit = document.elementFromPoint(r.left + r.width * x, r.top + r.height * y);
      const bar = hit?.closest('.site-header, .exam__bar');
      return !hit || (!!bar && !bar.contains(el));
    });
  });
  expect(hidden, `${name} is not hidden off screen or under a sticky bar`).toBe(false);
}

async function hasFocus(target: Locator): Promise<boolean> {
  return target.evaluateAll((els) => els.some((el) => el === document.activeElement));
}

/**
 * Moves focus to (any element of) `target` with Tab, or Shift+Tab when it lies before the
 * focused element, as a person would; checks the focus ring at every stop.
 */
async function tabTo(page: Page, target: Locator, max = 40) {
  await expect(target.first()).toBeVisible();
  const back = await target.first().evaluate((el) => {
    const from = document.activeElement;
    if (!from || from === document.body) return false;
    return !!(from.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_PRECEDING);
  });
  for (let i = 0; i < max; i++) {
    if (await hasFocus(target)) return;
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    await expectFocusVisible(page);
  }
  throw new Error(`${max} presses of ${back ? 'Shift+Tab' : 'Tab'} never reached ${target}; focus is on ${await focusedName(page)}`);
}

/** Focus is somewhere useful after the page replaced what had focus (soft: the walk goes on). */
async function expectFocusKept(page: Page, where: Locator, what: string) {
  expect
    .soft(await where.evaluate((el) => el.contains(document.activeElement)), `${what}: focus should move into ${where}, it is on ${await focusedName(page)}`)
    .toBe(true);
}

/** In a radio group: Tab into it, Space to check the focused radio, arrows until `want` is checked. */
async function chooseRadio(page: Page, group: Locator, want: Locator) {
  await tabTo(page, group);
  if (!(await page.evaluate(() => (document.activeElement as HTMLInputElement).checked))) await page.keyboard.press('Space');
  const at = await group.evaluateAll((els) => els.findIndex((el) => el === document.activeElement));
  const to = await group.evaluateAll((els, w) => els.findIndex((el) => el === w), await want.elementHandle());
  for (let i = at; i !== to; i += to > at ? 1 : -1) await page.keyboard.press(to > at ? 'ArrowDown' : 'ArrowUp');
  await expect(want).toBeFocused();
  await expect(want).toBeChecked();
  await expectFocusVisible(page);
}

/** Answers `q` in `card` with its key, by keyboard only. */
async function answerByKeyboard(page: Page, card: Locator, q: Question) {
  switch (q.type) {
    case 'single':
    case 'case':
    case 'diagram': {
      const key = q.options!.find((o) => o.correct)!;
      await chooseRadio(page, card.locator('[data-choice]'), card.locator(`[data-choice="${await choiceId(card, key.text)}"]`));
      break;
    }
    case 'multi':
      // Checkboxes are one Tab stop each, in page order; Space ticks.
      const keyIds: string[] = [];
      for (const o of q.options!.filter((o) => o.correct)) keyIds.push(await choiceId(card, o.text));
      for (const box of await card.locator('[data-choice]').all()) {
        const id = await box.getAttribute('data-choice');
        if (!keyIds.includes(id!)) continue;
        await tabTo(page, box);
        await page.keyboard.press('Space');
        await expect(box).toBeChecked();
      }
      break;
    case 'yesno': {
      const rows = await card.locator('[data-statement]').count();
      for (let i = 1; i <= rows; i++) {
        // Statements keep their written order on screen.
        const yes = q.statements![i - 1].answer;
        const group = card.locator(`[data-testid="yes-${i}"], [data-testid="no-${i}"]`);
        await chooseRadio(page, group, card.getByTestId(`${yes ? 'yes' : 'no'}-${i}`));
      }
      break;
    }
    case 'drill':
      for (const d of q.dimensions!) {
        const key = d.options.find((o) => o.correct)!;
        const group = card.locator(`[name="drill-${d.name}"]`);
        const id = await drillOptionId(card, d.name, key.text);
        await chooseRadio(page, group, card.locator(`[name="drill-${d.name}"][data-option="${id}"]`));
      }
      break;
    case 'order': {
      // The ↑ button of a step, pressed with Enter until the step is in place.
      const target = await stepIdsInKeyOrder(card, q);
      const items = card.locator('.order-list__item');
      for (let want = 0; want < target.length; want++) {
        let at = (await items.evaluateAll((els) => els.map((e) => e.getAttribute('data-step')))).indexOf(target[want]);
        while (at > want) {
          await tabTo(page, card.getByTestId(`up-${at + 1}`));
          await page.keyboard.press('Enter');
          at -= 1;
        }
      }
      expect(await items.evaluateAll((els) => els.map((e) => e.getAttribute('data-step')))).toEqual(target);
      break;
    }
    default:
      throw new Error(`no keyboard answer for item type ${q.type}`);
  }
}

async function questionOnScreen(page: Page): Promise<Question> {
  return questionOnCard(page, page.getByTestId('question'));
}

/** The first Tab stop of a freshly loaded page is the skip link, shown on screen. */
async function expectSkipLinkFirst(page: Page) {
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to content' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await expectFocusVisible(page);
}

for (const path of ['/', '/practice', '/exams', '/reference/model-metrics']) {
  test(`${path}: the skip link is the first Tab stop and Enter on it moves focus into the main content`, async ({ page }) => {
    await page.goto(path);
    await waitForHydration(page);
    await expectSkipLinkFirst(page);
    await page.keyboard.press('Enter');
    const main = page.locator('main#main');
    await expect
      .poll(() => main.evaluate((el) => el.contains(document.activeElement)), { message: `after Enter on the skip link, focus is on ${await focusedName(page)}` })
      .toBe(true);
    // The next Tab stop is the first control of the page's content, not the header.
    await page.keyboard.press('Tab');
    expect(await main.evaluate((el) => el.contains(document.activeElement)), `the Tab after skipping lands on ${await focusedName(page)}`).toBe(true);
  });
}

test('practice by keyboard alone: filter to single choice, answer, read the feedback, go on to the summary', async ({ page }) => {
  await page.goto('/practice');
  await waitForHydration(page);
  await expectSkipLinkFirst(page);

  // A closed <select> changes with the arrow keys: "Single choice" comes after "All types".
  const type = page.getByTestId('type');
  await tabTo(page, type);
  await page.keyboard.press('ArrowDown');
  await expect(type).toHaveValue('single');
  const count = page.getByTestId('count');
  await tabTo(page, count);
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('2');
  await expect(count).toHaveValue('2');
  await tabTo(page, page.getByTestId('start-practice'));
  await page.keyboard.press('Enter');

  const card = page.getByTestId('question');
  for (const n of [1, 2]) {
    await expect(card).toHaveAttribute('data-type', 'single');
    await expect(card).toContainText(`Question ${n} of 2`);
    await expectFocusKept(page, page.locator('main'), n === 1 ? 'after "Start practising"' : 'after "Next question"');
    await answerByKeyboard(page, card, await questionOnScreen(page));
    await tabTo(page, page.getByTestId('submit'));
    await page.keyboard.press('Enter');
    const feedback = page.getByTestId('feedback');
    await expect(feedback).toHaveAttribute('data-correct', 'true');
    await expect(feedback.locator('.feedback__verdict')).toContainText('Correct');
    // The feedback replaces the form: focus goes to the button that moves on.
    const next = page.getByTestId('next');
    await expect.soft(next, `after "Submit answer" (question ${n}): focus should be on "Next", it is on ${await focusedName(page)}`).toBeFocused({ timeout: 2_000 });
    await tabTo(page, next);
    // The reference links of the feedback are reachable, and back again.
    const refs = feedback.locator('a.ref-link');
    if ((await refs.count()) > 0) {
      await tabTo(page, refs.first());
      await tabTo(page, next);
    }
    await page.keyboard.press('Enter');
  }
  await expect(page.getByTestId('summary')).toContainText('2 of 2 answered correctly');
  await expectFocusKept(page, page.locator('main'), 'after "See the summary"');
  await tabTo(page, page.getByTestId('new-set'));
});

// Every item type answers by keyboard (the filter comes from the URL, as the reference pages link it).
for (const type of ['single', 'multi', 'order', 'yesno', 'case', 'drill', 'diagram']) {
  test(`practice by keyboard alone: a ${type} question answers right`, async ({ page }) => {
    await page.goto(`/practice?type=${type}&count=1`);
    await waitForHydration(page);
    await expect(page.getByTestId('type')).toHaveValue(type);
    await tabTo(page, page.getByTestId('start-practice'));
    await page.keyboard.press('Enter');
    const card = page.getByTestId('question');
    await expect(card).toHaveAttribute('data-type', type);
    await answerByKeyboard(page, card, await questionOnScreen(page));
    await tabTo(page, page.getByTestId('submit'));
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('feedback')).toHaveAttribute('data-correct', 'true');
  });
}

test('a mock exam by keyboard alone: sign up, start 10 questions, answer, move on, review, submit, see the results', async ({ page }) => {
  page.on('dialog', (dialog) => dialog.accept());

  await page.goto('/signup?next=/exams');
  await waitForHydration(page);
  await expectSkipLinkFirst(page);
  await tabTo(page, page.getByTestId('email-input'));
  await page.keyboard.type(`keys-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.org`);
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('display_name-input')).toBeFocused();
  await page.keyboard.type('Keyboard Only');
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('password-input')).toBeFocused();
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('signup-submit')).toBeFocused();
  await expectFocusVisible(page);
  await page.keyboard.press('Enter');
  await page.waitForURL((url) => url.pathname === '/exams');
  await waitForHydration(page);

  await expectSkipLinkFirst(page);
  await tabTo(page, page.getByTestId('start-10'));
  await page.keyboard.press('Enter');
  await page.waitForURL((url) => /^\/exams\/\d+$/.test(url.pathname));
  await waitForHydration(page);
  const card = page.getByTestId('question');
  await expect(card).toHaveAttribute('data-position', '0');
  await expectSkipLinkFirst(page);

  // The first two questions, whatever their item type, answered by keyboard; Next by keyboard.
  for (const n of [1, 2]) {
    await expect(card).toHaveAttribute('data-position', String(n - 1));
    if (n > 1) await expectFocusKept(page, card, 'after "Next →"');
    await answerByKeyboard(page, card, await questionOnScreen(page));
    await expect(page.getByTestId('save-status')).toHaveText('All answers saved');
    await tabTo(page, page.getByTestId('next'));
    await page.keyboard.press('Enter');
  }
  await expect(card).toHaveAttribute('data-position', '2');
  for (const n of [1, 2]) await expect(page.getByTestId(`nav-${n}`)).toHaveClass(/is-answered/);

  // The navigator is operable too: on to question 4 and back to question 3 with Enter. Both
  // are unanswered questions of the general section, so neither is ever locked (a yes/no
  // question answered and left is, and questions 1 and 2 are drawn at random).
  await tabTo(page, page.getByTestId('nav-4'));
  await page.keyboard.press('Enter');
  await expect(card).toHaveAttribute('data-position', '3');
  await tabTo(page, page.getByTestId('nav-3'));
  await page.keyboard.press('Enter');
  await expect(card).toHaveAttribute('data-position', '2');

  await tabTo(page, page.getByTestId('review'));
  await page.keyboard.press('Enter');
  const review = page.getByTestId('review-screen');
  await expect(review).toContainText('2 of 10 questions answered');
  await expectFocusKept(page, review, 'after "Review and submit"');
  await tabTo(page, page.getByTestId('submit-exam'));
  await page.keyboard.press('Enter');

  await expect(page.getByTestId('results')).toBeVisible();
  await expect(page.getByTestId('result-item')).toHaveCount(10);
  await expect(page.getByTestId('results')).toContainText('2 of 10 questions answered');
  await waitForHydration(page);
  await expectSkipLinkFirst(page);
  // A result's <details> opens and closes from the keyboard.
  const details = page.getByTestId('result-item').first().locator(':scope > details');
  await tabTo(page, details.locator(':scope > summary'), 60);
  const wasOpen = await details.evaluate((d) => (d as HTMLDetailsElement).open);
  await page.keyboard.press('Enter');
  await expect.poll(() => details.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(!wasOpen);
});

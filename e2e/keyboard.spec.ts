import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { configureModel } from './helpers';

/** Keyboard-only flows: after every action, focus stays on something the user can act from. */

const dream = async (page: Page, prompt: string, count: number): Promise<Locator> => {
  await page.getByRole('textbox', { name: 'Prompt', exact: true }).fill(prompt);
  await page.getByLabel('Image count').fill(String(count));
  await page.getByRole('button', { name: 'Dream', exact: true }).click();
  const generation = page.getByTestId('generation').filter({ hasText: prompt }).first();
  await expect(generation.getByTestId('generation-image')).toHaveCount(count);
  return generation;
};

/** What has focus, as a short description; "body" when nothing does. */
const focused = (page: Page): Promise<string> =>
  page.evaluate(() => {
    const element = document.activeElement;
    if (!element || element === document.body) return 'body';
    return element.getAttribute('aria-label') ?? element.textContent?.trim().slice(0, 60) ?? element.tagName;
  });

const expectFocusOnPage = async (page: Page): Promise<void> => {
  await expect.poll(() => focused(page)).not.toBe('body');
};

test('closing Settings with Escape gives focus back to the gear', async ({ studio }) => {
  const { page } = studio;
  await configureModel(studio);
  const gear = page.getByRole('button', { name: 'App settings' });
  await gear.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('dialog', { name: 'Settings' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog', { name: 'Settings' })).toBeHidden();
  await expect(gear).toBeFocused();
});

test('the large view keeps focus at the first and last image: arrows, Home and End go on working', async ({
  studio,
}) => {
  const { page } = studio;
  await configureModel(studio);
  await dream(page, 'three small boats', 3);
  await page.getByTestId('generation-image').first().click();
  const viewer = page.getByRole('dialog', { name: 'Image' });
  const position = viewer.getByTestId('viewer-position');
  await expect(position).toHaveText('1 / 3');
  await viewer.getByRole('button', { name: 'Next image' }).focus();
  await page.keyboard.press('Enter');
  await expect(position).toHaveText('2 / 3');
  await page.keyboard.press('Enter');
  await expect(position).toHaveText('3 / 3');
  await expect(viewer.getByRole('button', { name: 'Next image' })).toBeDisabled();
  await expectFocusOnPage(page);
  await page.keyboard.press('Home');
  await expect(position).toHaveText('1 / 3');
  await expectFocusOnPage(page);
  await page.keyboard.press('End');
  await expect(position).toHaveText('3 / 3');
  await page.keyboard.press('ArrowLeft');
  await expect(position).toHaveText('2 / 3');
});

test('after Delete image and after confirming Delete generation, focus moves to what followed', async ({ studio }) => {
  const { page } = studio;
  await configureModel(studio);
  await dream(page, 'an older lighthouse', 1);
  const generation = await dream(page, 'two red kites', 2);

  const firstImage = generation.locator('figure').first();
  await firstImage.hover();
  await firstImage.getByRole('button', { name: /^Delete image/ }).focus();
  await page.keyboard.press('Enter');
  await expect(generation.getByTestId('generation-image')).toHaveCount(1);
  await expectFocusOnPage(page);

  await generation.getByRole('button', { name: 'Delete generation' }).focus();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('generation').filter({ hasText: 'two red kites' })).toHaveCount(0);
  await expectFocusOnPage(page);
  // Focus went to the next generation, and Tab goes on from there.
  await expect
    .poll(() => page.evaluate(() => document.activeElement?.closest('[data-testid="generation"]')?.textContent ?? ''))
    .toContain('an older lighthouse');
});

test('a Dream is announced: its start, each image as it arrives, and its end', async ({ studio }) => {
  const { page } = studio;
  await configureModel(studio);
  const announcer = page.getByTestId('announcer');
  const heard: string[] = [];
  await page.exposeFunction('heard', (text: string) => heard.push(text));
  await announcer.evaluate((element) => {
    new MutationObserver(() =>
      (window as unknown as { heard: (t: string) => void }).heard(element.textContent ?? ''),
    ).observe(element, { childList: true, subtree: true, characterData: true });
  });
  await dream(page, 'a paper crane', 2);
  await expect.poll(() => heard.join(' | ')).toMatch(/Dreaming 2 images/);
  await expect.poll(() => heard.join(' | ')).toMatch(/1 of 2/);
  await expect.poll(() => heard.join(' | ')).toMatch(/Done: 2 images/);
  await expect(announcer).toHaveAttribute('aria-live', 'polite');
});

test('at the smallest window, a control focused under the sticky Dream bar is scrolled above it', async ({
  studio,
}) => {
  const { page } = studio;
  await page.setViewportSize({ width: 900, height: 600 });
  await configureModel(studio);
  const bar = page.locator('.ss-dreambar');
  for (const name of ['Seed', 'Random seed', 'Lock seed', 'Steps']) {
    const control = page.getByRole('complementary', { name: 'Generate options' }).getByLabel(name, { exact: true });
    await control.first().focus();
    await expect
      .poll(async () => {
        const [box, cover] = await Promise.all([control.first().boundingBox(), bar.boundingBox()]);
        return box && cover ? box.y + box.height <= cover.y + 1 : false;
      }, `${name} is above the Dream bar`)
      .toBe(true);
  }
});

test('skip links: the first Tab stops jump to the prompt, to Dream and to the history', async ({ studio }) => {
  const { page } = studio;
  await configureModel(studio);
  await dream(page, 'a skipping stone', 1);
  for (const [presses, name, check] of [
    [1, 'Skip to prompt', () => expect(page.getByRole('textbox', { name: 'Prompt', exact: true })).toBeFocused()],
    [2, 'Skip to Dream', () => expect(page.getByRole('button', { name: 'Dream', exact: true })).toBeFocused()],
    [3, 'Skip to history', () => expect(page.getByRole('main', { name: 'Generations' })).toBeFocused()],
  ] as const) {
    // From the top of a freshly loaded page, as a keyboard user arrives.
    await page.reload();
    await expect(page.getByTestId('generation').first()).toBeVisible();
    for (let i = 0; i < presses; i++) await page.keyboard.press('Tab');
    await expect(page.getByRole('link', { name, exact: true })).toBeFocused();
    await expect(page.getByRole('link', { name, exact: true })).toBeVisible();
    await page.keyboard.press('Enter');
    await check();
  }
  // From the history, Tab goes on inside it (its search, then the generations).
  await page.keyboard.press('Tab');
  await expect
    .poll(() => page.evaluate(() => document.activeElement?.closest('main')?.getAttribute('aria-label')))
    .toBe('Generations');
});

test('small windows and high zoom: the sidebar folds away and the history keeps its prompts and actions', async ({
  studio,
}) => {
  const { page } = studio;
  await configureModel(studio);
  await dream(page, 'a narrow window onto the sea', 2);
  // 900 × 600 at 200 % zoom is 450 × 300 CSS pixels.
  await page.setViewportSize({ width: 450, height: 300 });
  const toggle = page.getByRole('button', { name: 'Options sidebar' });
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await expect(page.getByRole('complementary', { name: 'Generate options' })).toBeHidden();
  const generation = page.getByTestId('generation').first();
  const remove = generation.getByRole('button', { name: 'Delete generation' });
  await expect(remove).toBeVisible();
  const box = await remove.boundingBox();
  expect(box && box.x + box.width).toBeLessThanOrEqual(450);
  await expect(generation.getByText('a narrow window onto the sea')).toBeVisible();
  // Remembered across a restart; shown again with the same button.
  await studio.restart();
  await expect(page.getByRole('complementary', { name: 'Generate options' })).toBeHidden();
  await page.getByRole('button', { name: 'Options sidebar' }).click();
  await expect(page.getByRole('complementary', { name: 'Generate options' })).toBeVisible();
});

test('large screens: the sidebar widens and the grid uses the width', async ({ studio }) => {
  const { page } = studio;
  await page.setViewportSize({ width: 2560, height: 1440 });
  await configureModel(studio);
  const generation = await dream(page, 'a very wide panorama', 4);
  const sidebar = await page.getByRole('complementary', { name: 'Generate options' }).boundingBox();
  expect(sidebar?.width).toBeGreaterThan(400);
  const first = await generation.getByTestId('generation-image').first().boundingBox();
  // Eight columns: each image under a ninth of the history's width, so far more fits on a screen.
  expect(first?.width).toBeLessThan(2560 / 8);
});

test('Tab in the style picker goes on to the prompt, Shift+Tab back to the picker', async ({ studio }) => {
  const { page } = studio;
  await configureModel(studio);
  const trigger = page.getByRole('button', { name: /^Style: / });
  await trigger.focus();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('listbox', { name: 'Styles' })).toBeVisible();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('listbox', { name: 'Styles' })).toBeHidden();
  await expect(page.getByRole('textbox', { name: 'Prompt', exact: true })).toBeFocused();
  await trigger.focus();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('listbox', { name: 'Styles' })).toBeVisible();
  await page.keyboard.press('Shift+Tab');
  await expect(trigger).toBeFocused();
});

test('each image is one Tab stop; the arrow keys step through its actions, each named for its image', async ({
  studio,
}) => {
  const { page } = studio;
  await configureModel(studio);
  const generation = await dream(page, 'two herons', 2);
  const first = generation.getByRole('toolbar', { name: 'Actions for image 1 of 2' });
  const second = generation.getByRole('toolbar', { name: 'Actions for image 2 of 2' });
  await first.getByRole('button', { name: 'Open (image 1 of 2)' }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(first.getByRole('button', { name: 'Save as PNG (image 1 of 2)' })).toBeFocused();
  await page.keyboard.press('End');
  await expect(first.getByRole('button', { name: 'Delete image (image 1 of 2)' })).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(first.getByRole('button', { name: 'Open (image 1 of 2)' })).toBeFocused();
  // Tab leaves the image: the next stop is the second image, not the first one's next action.
  await page.keyboard.press('Tab');
  await expect(second.getByRole('button', { name: 'Open (image 2 of 2)' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('dialog', { name: 'Image' }).getByTestId('viewer-position')).toContainText('2 /');
});

test('the large view at the smallest window: a large image beside details that show whole', async ({ studio }) => {
  const { page } = studio;
  await page.setViewportSize({ width: 900, height: 600 });
  await configureModel(studio);
  await dream(page, 'a tall ship in fog', 1);
  await page.getByTestId('generation-image').first().click();
  const viewer = page.getByRole('dialog', { name: 'Image' });
  const image = await viewer.getByTestId('viewer-image').boundingBox();
  expect(Math.max(image?.width ?? 0, image?.height ?? 0)).toBeGreaterThanOrEqual(400);
  const details = await viewer.getByRole('region', { name: 'Image details' }).boundingBox();
  expect(details?.height).toBeGreaterThanOrEqual(150);
  // Down in the details scrolls them; it does not step to another image.
  await viewer.getByRole('region', { name: 'Image details' }).focus();
  await page.keyboard.press('ArrowDown');
  await expect(viewer.getByTestId('viewer-position')).toHaveText('1 / 1');
});

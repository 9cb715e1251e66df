import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { configureModel } from './helpers';

/**
 * An automated WCAG 2.0/2.1 A and AA audit (axe-core) of every screen: no serious or critical
 * violation. Each failure names the rule and the elements, so the log says what to fix.
 */
const audit = async (page: Page, screen: string, include?: string): Promise<void> => {
  // Colours are judged as shown: a dialog still fading in would read as low contrast.
  await page.evaluate(() =>
    Promise.all(
      document
        .getAnimations()
        .filter((animation) => animation.effect?.getComputedTiming().iterations !== Infinity)
        .map((animation) => animation.finished.catch(() => undefined)),
    ),
  );
  let builder = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']);
  if (include) builder = builder.include(include);
  const { violations } = await builder.analyze();
  const serious = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(serious, `${screen}: serious or critical WCAG violations`).toEqual([]);
};

const dream = async (page: Page, prompt: string): Promise<Locator> => {
  await page.getByRole('textbox', { name: 'Prompt', exact: true }).fill(prompt);
  await page.getByLabel('Image count').fill('2');
  await page.getByRole('button', { name: 'Dream', exact: true }).click();
  const generation = page.getByTestId('generation').filter({ hasText: prompt }).first();
  await expect(generation.getByTestId('generation-image')).toHaveCount(2);
  return generation;
};

test('Settings on first run, filled, and after Test connection: no serious WCAG violations', async ({ studio }) => {
  const { page } = studio;
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await expect(dialog).toBeVisible();
  await audit(page, 'Settings, first run');
  await configureModel(studio, async (d) => {
    await audit(page, 'Settings, filled');
    await d.getByRole('button', { name: 'Test connection' }).click();
    await expect(d.getByTestId('connection-report')).toBeVisible();
    await audit(page, 'Settings, after Test connection');
  });
});

test('the studio with history, the palette, the large view and the style picker: no serious WCAG violations', async ({
  studio,
}) => {
  const { page } = studio;
  await configureModel(studio);
  await dream(page, 'a lighthouse at dusk');
  await audit(page, 'Studio with history');

  await page.keyboard.press('Control+k');
  await expect(page.getByRole('dialog', { name: 'Commands' })).toBeVisible();
  await audit(page, 'Palette');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog', { name: 'Commands' })).toBeHidden();

  const first = page.getByTestId('generation-image').first();
  await first.click();
  const viewer = page.getByRole('dialog', { name: /image/i });
  await expect(viewer).toBeVisible();
  await audit(page, 'Large view');
  await page.keyboard.press('Escape');
  await expect(viewer).toBeHidden();

  await page.getByRole('button', { name: /^Style: / }).click();
  await expect(page.getByRole('listbox', { name: /style/i })).toBeVisible();
  await audit(page, 'Style picker');
});

test('the Edit tab: no serious WCAG violations', async ({ studio }) => {
  const { page } = studio;
  await configureModel(studio);
  await page.getByRole('tab', { name: 'Edit' }).click();
  await expect(page.getByTestId('edit-canvas')).toBeVisible();
  await audit(page, 'Edit tab');
});

/**
 * The outline drawn for the focused element: its own, or its frame's (a prompt card outlines the
 * text area inside it), as the page computes it.
 */
const focusOutline = (page: Page): Promise<{ name: string; style: string; width: number }> =>
  page.evaluate(() => {
    const active = document.activeElement;
    if (!(active instanceof HTMLElement) || active === document.body) return { name: '', style: 'none', width: 0 };
    const name = active.getAttribute('aria-label') ?? active.textContent?.trim().slice(0, 40) ?? '';
    let element: HTMLElement | null = active;
    for (let depth = 0; element && depth < 3; depth++, element = element.parentElement) {
      const style = getComputedStyle(element);
      if (style.outlineStyle !== 'none')
        return { name, style: style.outlineStyle, width: Number.parseFloat(style.outlineWidth) };
    }
    return { name, style: 'none', width: 0 };
  });

test('forced colours (high contrast): every control the keyboard reaches shows an outline when focused', async ({
  studio,
}) => {
  const { page } = studio;
  await configureModel(studio);
  await dream(page, 'a quiet harbour');
  await page.emulateMedia({ forcedColors: 'active' });
  const checked = new Set<string>();
  // Walk the page with Tab: each stop must draw an outline (box-shadow vanishes in forced colours).
  await page.locator('body').focus();
  const wanted = ['App settings', 'Negative prompt', 'Dream', 'Delete generation'];
  const allChecked = (): boolean => wanted.every((name) => [...checked].some((n) => n.startsWith(name)));
  for (let stop = 0; stop < 120 && !allChecked(); stop++) {
    await page.keyboard.press('Tab');
    const focused = await focusOutline(page);
    if (focused.name === '') continue;
    expect(focused.style, `outline of “${focused.name}”`).not.toBe('none');
    expect(focused.width, `outline width of “${focused.name}”`).toBeGreaterThanOrEqual(1);
    checked.add(focused.name);
  }
  for (const name of wanted)
    expect(
      [...checked].some((n) => n.startsWith(name)),
      `${name} was reached and checked`,
    ).toBe(true);
});

test('reduced motion: Settings, the palette and the large view open without animating', async ({ studio }) => {
  const { page } = studio;
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await configureModel(studio);
  await dream(page, 'a still pond');
  const longestAnimationMs = (selector: string): Promise<number> =>
    page.locator(selector).evaluate((element) => {
      const seconds = getComputedStyle(element)
        .animationDuration.split(',')
        .map((value) => Number.parseFloat(value) * (value.trim().endsWith('ms') ? 0.001 : 1));
      return Math.max(...seconds) * 1000;
    });

  await page.getByRole('button', { name: 'App settings' }).click();
  await expect(page.getByRole('dialog', { name: 'Settings' })).toBeVisible();
  expect(await longestAnimationMs('dialog[open]')).toBeLessThan(1);
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog', { name: 'Settings' })).toBeHidden();

  await page.keyboard.press('Control+k');
  await expect(page.getByRole('dialog', { name: 'Commands' })).toBeVisible();
  expect(await longestAnimationMs('dialog[open]')).toBeLessThan(1);
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog', { name: 'Commands' })).toBeHidden();

  await page.getByTestId('generation-image').first().click();
  await expect(page.getByRole('dialog', { name: 'Image' })).toBeVisible();
  expect(await longestAnimationMs('dialog[open]')).toBeLessThan(1);
});

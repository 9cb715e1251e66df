import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { configureModel } from './helpers';

const prompt = 'a lighthouse on a cliff at dusk';

/** Dreams one image and waits until it shows. */
const dreamOne = async (page: Page): Promise<Locator> => {
  await page.getByRole('textbox', { name: 'Prompt', exact: true }).fill(prompt);
  await page.getByLabel('Image count').fill('1');
  await page.getByRole('button', { name: 'Dream', exact: true }).click();
  const generation = page.getByTestId('generation').filter({ hasText: prompt }).first();
  await expect(generation.getByTestId('generation-image')).toHaveCount(1);
  return generation;
};

const editTab = (page: Page): Locator => page.getByRole('tab', { name: 'Edit' });
const generateTab = (page: Page): Locator => page.getByRole('tab', { name: 'Generate' });
const saved = async (page: Page): Promise<void> => {
  await expect(page.getByTestId('editor-save-state')).toHaveText('Saved');
};
/** A layer row's place and scale: `x,y,scaleX,scaleY`. */
const geometryOf = async (row: Locator): Promise<[number, number, number, number]> => {
  const [x = NaN, y = NaN, sx = NaN, sy = NaN] = ((await row.getAttribute('data-geometry')) ?? '')
    .split(',')
    .map(Number);
  return [x, y, sx, sy];
};

test('Generate and Edit are tabs: arrow keys move between them, Generate’s page is unchanged', async ({ studio }) => {
  const { page } = studio;
  await configureModel(studio);
  await expect(page.getByRole('tablist', { name: 'Workspace' })).toBeVisible();
  await expect(generateTab(page)).toHaveAttribute('aria-selected', 'true');
  await expect(editTab(page)).toHaveAttribute('aria-selected', 'false');
  await expect(page.getByRole('complementary', { name: 'Generate options' })).toBeVisible();

  await generateTab(page).focus();
  await page.keyboard.press('ArrowRight');
  await expect(editTab(page)).toHaveAttribute('aria-selected', 'true');
  await expect(editTab(page)).toBeFocused();
  await expect(page.getByRole('complementary', { name: 'Edit options' })).toBeVisible();
  await expect(page.getByTestId('edit-canvas')).toBeVisible();
  await expect(page.getByRole('main', { name: 'Generations' })).toBeHidden();
  // Only what works is offered: no brush, no Dream in the Edit tab yet.
  await expect(page.getByRole('button', { name: 'Dream', exact: true })).toHaveCount(0);

  await page.keyboard.press('ArrowLeft');
  await expect(generateTab(page)).toHaveAttribute('aria-selected', 'true');
  await expect(generateTab(page)).toBeFocused();
  await expect(page.getByRole('button', { name: 'Dream', exact: true })).toBeVisible();
  await page.keyboard.press('End');
  await expect(editTab(page)).toBeFocused();
  await page.keyboard.press('Home');
  await expect(generateTab(page)).toBeFocused();
});

test('Edit an image of the history: move it, rename and hide its layer, undo and redo, and find it all after a reload', async ({
  studio,
}) => {
  const { page, dataDir } = studio;
  await configureModel(studio);
  const generation = await dreamOne(page);

  const cell = generation.locator('figure').first();
  await cell.hover();
  await cell.getByRole('button', { name: 'Edit', exact: true }).click();
  await expect(editTab(page)).toHaveAttribute('aria-selected', 'true');
  const row = page.getByTestId('layer');
  await expect(row).toHaveCount(1);
  await expect(row.getByRole('button', { name: prompt, exact: true })).toBeVisible();
  await saved(page);
  const [x0, y0] = await geometryOf(row);

  // Move it: drag from the canvas's centre, where the new layer sits.
  const canvas = page.getByTestId('edit-canvas');
  const box = await canvas.boundingBox();
  if (!box) throw new Error('the canvas has no box');
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  await page.mouse.move(cx, cy);
  await page.mouse.down();
  await page.mouse.move(cx + 60, cy + 40, { steps: 4 });
  await page.mouse.move(cx + 120, cy + 80, { steps: 4 });
  await page.mouse.up();
  await expect.poll(async () => (await geometryOf(row))[0]).toBeGreaterThan(x0 + 50);
  const [x1, y1] = await geometryOf(row);
  expect(y1).toBeGreaterThan(y0 + 30);

  // Rename and hide.
  await row.getByRole('button', { name: `Rename “${prompt}”` }).click();
  const field = row.getByRole('textbox', { name: `Name of layer “${prompt}”` });
  await expect(field).toBeFocused();
  await field.fill('Lighthouse');
  await field.press('Enter');
  await expect(row.getByRole('button', { name: 'Lighthouse', exact: true })).toBeVisible();
  await row.getByRole('button', { name: 'Hide “Lighthouse”' }).click();
  await expect(row.getByRole('button', { name: 'Show “Lighthouse”' })).toBeVisible();

  // Undo: shown again, then the old name, then back where it was; redo brings them back in order.
  await canvas.focus();
  await page.keyboard.press('ControlOrMeta+z');
  await expect(row.getByRole('button', { name: 'Hide “Lighthouse”' })).toBeVisible();
  await page.keyboard.press('ControlOrMeta+z');
  await expect(row.getByRole('button', { name: prompt, exact: true })).toBeVisible();
  await page.keyboard.press('ControlOrMeta+z');
  await expect.poll(async () => (await geometryOf(row)).slice(0, 2)).toEqual([x0, y0]);
  await page.keyboard.press('ControlOrMeta+Shift+z');
  await expect.poll(async () => (await geometryOf(row)).slice(0, 2)).toEqual([x1, y1]);
  await page.keyboard.press('ControlOrMeta+Shift+z');
  await expect(row.getByRole('button', { name: 'Lighthouse', exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Redo' }).click();
  await expect(row.getByRole('button', { name: 'Show “Lighthouse”' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Redo' })).toBeDisabled();
  await saved(page);

  // On disk: the document, written atomically, and the layer's own copy of the image.
  const stored = JSON.parse(readFileSync(join(dataDir, 'editor', 'document.json'), 'utf8')) as {
    layers: Array<{ name: string; visible: boolean; x: number; imageId: string }>;
  };
  expect(stored.layers).toHaveLength(1);
  expect(stored.layers[0]).toMatchObject({ name: 'Lighthouse', visible: false });
  expect(Math.round(stored.layers[0]?.x ?? NaN)).toBe(x1);

  // Switching tabs keeps it; a reload (a new page on the same data) restores it.
  await generateTab(page).click();
  await expect(generation).toBeVisible();
  await editTab(page).click();
  await expect(row.getByRole('button', { name: 'Show “Lighthouse”' })).toBeVisible();

  await page.reload();
  await editTab(page).click();
  await expect(row).toHaveCount(1);
  await expect(row.getByRole('button', { name: 'Show “Lighthouse”' })).toBeVisible();
  expect((await geometryOf(row)).slice(0, 2)).toEqual([x1, y1]);
  // The restored layer's image loads from the editor folder.
  const thumb = row.locator('img');
  await expect.poll(() => thumb.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
});

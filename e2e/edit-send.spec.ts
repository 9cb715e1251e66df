import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { configureModel } from './helpers';

const prompt = 'a windmill in a tulip field';

const dreamOne = async (page: Page): Promise<Locator> => {
  await page.getByRole('textbox', { name: 'Prompt', exact: true }).fill(prompt);
  await page.getByLabel('Image count').fill('1');
  await page.getByRole('button', { name: 'Dream', exact: true }).click();
  const generation = page.getByTestId('generation').filter({ hasText: prompt }).first();
  await expect(generation.getByTestId('generation-image')).toHaveCount(1);
  return generation;
};

test('Send to history: the layer becomes a new generation in the history at once, and stays after a reload', async ({
  studio,
}) => {
  const { page } = studio;
  await configureModel(studio);
  const generation = await dreamOne(page);
  const cell = generation.locator('figure').first();
  await cell.hover();
  await cell.getByRole('button', { name: /^Edit \(image \d+ of \d+\)$/ }).click();
  await expect(page.getByTestId('layer')).toHaveCount(1);

  await page.getByRole('button', { name: 'Send to history' }).click();
  await expect(page.getByText('Sent to the history')).toBeVisible();
  await page.getByRole('tab', { name: 'Generate' }).click();
  const sent = page.getByTestId('generation').filter({ hasText: 'Edited in the Edit tab' });
  await expect(sent).toHaveCount(1);
  await expect(sent.getByTestId('generation-image')).toHaveCount(1);
  // The newest generation: above the Dream it came from.
  await expect(page.getByTestId('generation').first()).toContainText('Edited in the Edit tab');

  await page.reload();
  await expect(page.getByTestId('generation').filter({ hasText: 'Edited in the Edit tab' })).toHaveCount(1);
});

test('Open in Edit reopens an edit (its source image as a layer, its box at the recorded place with its parameters); Reuse parameters restores the box', async ({
  studio,
}) => {
  const { page } = studio;
  await configureModel(studio);
  const generation = await dreamOne(page);
  const cell = generation.locator('figure').first();
  await cell.hover();
  await cell.getByRole('button', { name: /^Edit \(image \d+ of \d+\)$/ }).click();
  await expect(page.getByTestId('layer')).toHaveCount(1);
  await page.getByTestId('add-dream-box').click();
  const box = page.getByTestId('dream-box');
  await expect(box).toHaveCount(1);
  const panel = page.getByTestId('box-panel');
  await panel.getByRole('spinbutton', { name: 'Images' }).fill('1');
  await panel.getByRole('spinbutton', { name: 'Images' }).press('Enter');
  const promptField = panel.getByRole('textbox', { name: 'Prompt', exact: true });
  await promptField.fill('a red sail');
  await promptField.blur();
  await box.getByRole('button', { name: 'Dream in box' }).click();
  await expect(box).toHaveAttribute('data-state', 'done');
  const place = await box.getAttribute('data-box');
  await box.getByRole('button', { name: 'Discard' }).click();

  // The edit is in the history; reopen it from there.
  await page.getByRole('tab', { name: 'Generate' }).click();
  const edit = page.getByTestId('generation').filter({ hasText: 'a red sail' }).first();
  await expect(edit.getByTestId('generation-image')).toHaveCount(1);
  const editCell = edit.locator('figure').first();
  await editCell.hover();
  await editCell.getByRole('button', { name: /^Open in Edit \(image \d+ of \d+\)$/ }).click();

  await expect(page.getByRole('tab', { name: 'Edit' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('layer')).toHaveCount(2);
  const boxes = page.getByTestId('dream-box');
  await expect(boxes).toHaveCount(2);
  // The new box (selected) sits where the first was, the same size, with the edit's prompt.
  await expect(boxes.nth(1)).toHaveAttribute('data-box', place ?? '');
  await expect(page.getByTestId('box-panel').getByRole('textbox', { name: 'Prompt', exact: true })).toHaveValue(
    'a red sail',
  );

  // Reuse parameters on the edit: the sidebar takes its prompt, and its box comes back in the Edit tab.
  await page.getByRole('tab', { name: 'Generate' }).click();
  await editCell.hover();
  await editCell.getByRole('button', { name: /^Reuse parameters \(image \d+ of \d+\)$/ }).click();
  await expect(page.getByRole('textbox', { name: 'Prompt', exact: true })).toHaveValue('a red sail');
  await page.getByRole('tab', { name: 'Edit' }).click();
  await expect(boxes).toHaveCount(3);
  await expect(boxes.nth(2)).toHaveAttribute('data-box', place ?? '');
  await expect(page.getByTestId('layer')).toHaveCount(2);

  // The large view of the edit has Open in Edit too: it closes, and the edit is reopened the same way.
  await page.getByRole('tab', { name: 'Generate' }).click();
  await editCell.hover();
  await editCell.getByRole('button', { name: /^Open \(image \d+ of \d+\)$/ }).click();
  const viewer = page.getByRole('dialog');
  await viewer.getByRole('button', { name: 'Open in Edit', exact: true }).click();
  await expect(viewer).toBeHidden();
  await expect(page.getByRole('tab', { name: 'Edit' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('layer')).toHaveCount(3);
  await expect(boxes).toHaveCount(4);
  await expect(boxes.nth(3)).toHaveAttribute('data-box', place ?? '');
  await expect(page.getByTestId('box-panel').getByRole('textbox', { name: 'Prompt', exact: true })).toHaveValue(
    'a red sail',
  );
});

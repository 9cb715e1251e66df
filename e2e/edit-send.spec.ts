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

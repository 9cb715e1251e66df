import type { Locator, Page } from '@playwright/test';
import { expect } from './fixtures';
import type { StudioApp } from './fixtures';

/**
 * Fills the settings dialog (which opens by itself on first run) with one model on the test's
 * fake endpoint — Settings → Advanced holds the runtime URL — lets `extra` add more, and saves.
 */
export const configureModel = async (
  { page, fake }: StudioApp,
  extra?: (dialog: Locator) => Promise<void>,
): Promise<void> => {
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await expect(dialog).toBeVisible();
  if ((await dialog.getByLabel('Model ID').count()) === 0)
    await dialog.getByRole('button', { name: 'Add model' }).click();
  await dialog.getByLabel('Model ID').first().fill('sdxl');
  await dialog.getByLabel('Display name').first().fill('SDXL 1.0 (fake)');
  await dialog.getByLabel('Endpoint name').first().fill('sdxl-e2e');
  await dialog.getByRole('button', { name: 'Advanced' }).click();
  await dialog.getByLabel('SageMaker Runtime endpoint URL').fill(fake.url);
  await extra?.(dialog);
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
};

/** Dreams one image of `prompt` and waits until it shows; answers its generation. */
export const dreamOne = async (page: Page, prompt: string): Promise<Locator> => {
  await page.getByRole('textbox', { name: 'Prompt', exact: true }).fill(prompt);
  await page.getByLabel('Image count').fill('1');
  await page.getByRole('button', { name: 'Dream', exact: true }).click();
  const generation = page.getByTestId('generation').filter({ hasText: prompt }).first();
  await expect(generation.getByTestId('generation-image')).toHaveCount(1);
  return generation;
};

/** Configures a model, dreams one image of `prompt` and brings it into the Edit tab as its one layer. */
export const editADreamedImage = async (
  studio: StudioApp,
  prompt: string,
): Promise<{ rows: Locator; generation: Locator; cell: Locator }> => {
  await configureModel(studio);
  const generation = await dreamOne(studio.page, prompt);
  const cell = generation.locator('figure').first();
  await cell.hover();
  await cell.getByRole('button', { name: /^Edit \(image \d+ of \d+\)$/ }).click();
  const rows = studio.page.getByTestId('layer');
  await expect(rows).toHaveCount(1);
  return { rows, generation, cell };
};

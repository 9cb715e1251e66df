import type { Locator } from '@playwright/test';
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

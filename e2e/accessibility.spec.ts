import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { configureModel } from './helpers';

/** Names and landmarks an accessibility audit checks: what a screen reader user hears and jumps to. */

const settingsDialog = (page: Page): Locator => page.getByRole('dialog', { name: 'Settings' });
const sidebarOf = (page: Page): Locator => page.getByRole('complementary', { name: 'Generate options' });

test('one banner, no stray footer landmark, and buttons with distinct names', async ({ studio }) => {
  const { page } = studio;
  await configureModel(studio);

  // The gear and the sidebar's section toggle used to be two buttons both named "Settings".
  await expect(page.getByRole('button', { name: 'Settings', exact: true })).toHaveCount(0);
  await expect(page.getByRole('banner').getByRole('button', { name: 'App settings', exact: true })).toHaveCount(1);
  const section = sidebarOf(page).getByRole('button', { name: 'Image settings', exact: true });
  await expect(section).toHaveAttribute('aria-expanded', 'true');
  await expect(section).toContainText('Settings');

  await page.getByRole('button', { name: 'App settings' }).click();
  await expect(settingsDialog(page)).toBeVisible();
  // The dialog's header and footer are not landmarks of the page: the top bar is the one banner.
  await expect(page.getByRole('banner')).toHaveCount(1);
  await expect(page.getByRole('banner')).toContainText('StableStudio');
  await expect(page.getByRole('contentinfo')).toHaveCount(0);
  await page.keyboard.press('Escape');
  await expect(settingsDialog(page)).toBeHidden();

  await page.keyboard.press('Control+k');
  await expect(page.getByRole('dialog', { name: 'Commands' })).toBeVisible();
  await expect(page.getByRole('banner')).toHaveCount(1);
  await expect(page.getByRole('contentinfo')).toHaveCount(0);
});

test('the endpoint URL fields are named by their visible labels', async ({ studio }) => {
  const dialog = settingsDialog(studio.page);
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Advanced' }).click();
  for (const service of ['SageMaker Runtime', 'SageMaker', 'Cognito Identity', 'STS', 'S3', 'DynamoDB']) {
    const label = `${service} endpoint URL`;
    await expect(dialog.getByText(label, { exact: true })).toBeVisible();
    const field = dialog.getByRole('textbox', { name: label, exact: true });
    await expect(field).toBeVisible();
    await expect(field).toHaveAccessibleName(label);
  }
});

test('samplers read as people know them', async ({ studio }) => {
  await configureModel(studio);
  const sampler = sidebarOf(studio.page).getByRole('combobox', { name: 'Sampler' });
  await expect(sampler.locator('option')).toHaveText([
    'Model default',
    'DDIM',
    'DDPM',
    'DPM++ SDE',
    'DPM++ 2M',
    'DPM++ 2S Ancestral',
    'DPM2',
    'DPM2 Ancestral',
    'Euler',
    'Euler Ancestral',
    'Heun',
    'LMS',
  ]);
  await sampler.selectOption({ label: 'DPM++ 2M' });
  await expect(sampler).toHaveValue('K_DPMPP_2M');
});

test('bucket, table and project ID are refused at their fields, by AWS’s naming rules', async ({ studio }) => {
  const { page } = studio;
  await configureModel(studio);
  await page.getByRole('button', { name: 'App settings' }).click();
  const dialog = settingsDialog(page);
  await dialog.getByLabel('Store generated images').check();
  const cases: Array<[string, string, RegExp]> = [
    ['Generations bucket', '../../x', /lowercase letters, digits, dots and hyphens/],
    ['Generations table', 'a b', /letters, digits, underscores, dots and hyphens/],
    ['Project ID', '../../..', /starting with a letter or digit/],
  ];
  for (const [label, value] of cases) await dialog.getByLabel(label, { exact: true }).fill(value);
  await dialog.getByRole('button', { name: 'Save' }).click();
  for (const [label, , message] of cases) {
    const field = dialog.getByLabel(label, { exact: true });
    await expect(field).toHaveAttribute('aria-invalid', 'true');
    await expect(field).toHaveAccessibleDescription(message);
  }
  // The first field that needs attention has focus; nothing was saved.
  await expect(dialog.getByLabel('Generations table', { exact: true })).toBeFocused();
  await dialog.getByLabel('Generations bucket', { exact: true }).fill('My-Bucket');
  await expect(dialog.getByLabel('Generations bucket', { exact: true })).not.toHaveAttribute('aria-invalid', 'true');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByLabel('Generations bucket', { exact: true })).toHaveAccessibleDescription(
    /lowercase letters/,
  );
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await page.getByRole('button', { name: 'App settings' }).click();
  await expect(dialog.getByLabel('Store generated images')).not.toBeChecked();
  await expect(dialog.getByLabel('Generations bucket', { exact: true })).toHaveValue('');
});

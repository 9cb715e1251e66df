import { expect, test } from './fixtures';
import { configureModel } from './helpers';
import type { StudioApp } from './fixtures';

const dream = async (page: StudioApp['page'], prompt: string, count: number): Promise<void> => {
  await page.getByLabel('Prompt', { exact: true }).fill(prompt);
  await page.getByLabel('Image count').fill(String(count));
  await page.getByRole('button', { name: 'Dream' }).click();
};

test('first run: configure an endpoint, Dream two images, and find them again after a restart', async ({ studio }) => {
  const { page } = studio;
  // No model yet: the settings dialog opens by itself.
  await configureModel(studio);

  await dream(page, 'a lighthouse at dusk, oil painting', 2);
  const generation = page.getByTestId('generation').first();
  await expect(generation).toContainText('a lighthouse at dusk, oil painting');
  await expect(generation.getByTestId('generation-image')).toHaveCount(2);
  // Each image is really loaded (the grid shows the core's thumbnails).
  for (const img of await generation.getByTestId('generation-image').all()) {
    await expect.poll(() => img.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
  }
  expect(studio.fake.invocations).toHaveLength(2);

  await studio.restart();
  const again = studio.page.getByTestId('generation').first();
  await expect(again).toContainText('a lighthouse at dusk, oil painting');
  await expect(again.getByTestId('generation-image')).toHaveCount(2);
  await expect(studio.page.getByRole('dialog', { name: 'Settings' })).toBeHidden();
});

test('an invalid Identity Pool ID is refused with a field error and nothing is saved', async ({ studio }) => {
  const { page } = studio;
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await expect(dialog).toBeVisible();
  if ((await dialog.getByLabel('Model ID').count()) === 0)
    await dialog.getByRole('button', { name: 'Add model' }).click();
  await dialog.getByLabel('Model ID').first().fill('sdxl');
  await dialog.getByLabel('Endpoint name').first().fill('sdxl-e2e');
  await dialog.getByLabel('Cognito Identity Pool').check();
  await dialog.getByLabel('Identity Pool ID').fill('not-a-pool-id');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByText(/Identity Pool ID looks like/)).toBeVisible();
  await expect(dialog).toBeVisible();

  await studio.restart();
  // Nothing was saved: still no model, so the dialog opens again.
  await expect(studio.page.getByRole('dialog', { name: 'Settings' })).toBeVisible();
});

test('an endpoint ModelError shows its message where the user looks', async ({ studio }) => {
  await configureModel(studio);
  studio.fake.setBehaviour({ failAlways: 'ModelError' });
  await dream(studio.page, 'this will fail', 1);
  const alert = studio.page.getByTestId('generation').first().getByRole('alert');
  await expect(alert).toContainText(/returned an error/);
  await expect(alert).toContainText(/sdxl-e2e/);
});

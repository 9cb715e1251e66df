import { expect, test } from './fixtures';
import { configureModel } from './helpers';

/** Settings with the SDXL model of every spec and an x4 upscaler beside it, on the test's fake endpoint. */
const withUpscaler = async (studio: Parameters<typeof configureModel>[0]): Promise<void> => {
  studio.fake.setEndpoint('sd-x4', { status: 'InService', format: 'jumpstart-upscale-x4' });
  await configureModel(studio, async (dialog) => {
    await dialog.getByRole('button', { name: 'Add model' }).click();
    await dialog.getByLabel('Model ID').nth(1).fill('x4');
    await dialog.getByLabel('Display name').nth(1).fill('x4 upscaler');
    await dialog.getByLabel('Endpoint name').nth(1).fill('sd-x4');
    await dialog.getByLabel('Payload format').nth(1).selectOption('jumpstart-upscale-x4');
    // The input limit the model takes at once: the default, 512 px.
    await expect(dialog.getByLabel('Input limit (px)').nth(1)).toHaveValue('512');
  });
};

test('Upscale ×4 of a 1024² history image goes in tiles, with progress, into a 4096² image with its badge', async ({
  studio,
}) => {
  const { page, fake } = studio;
  await withUpscaler(studio);

  // The sidebar offers only models that make images from text: the upscaler is not among them.
  const model = page.getByRole('combobox', { name: 'Model' });
  await expect(model.locator('option')).toHaveText(['SDXL 1.0 (fake)']);

  await page.getByRole('textbox', { name: 'Prompt', exact: true }).fill('a lighthouse at dusk');
  await page.getByLabel('Image count').fill('1');
  await page.getByRole('button', { name: 'Dream', exact: true }).click();
  const source = page.getByTestId('generation').filter({ hasText: 'a lighthouse at dusk' }).first();
  await expect(source.getByTestId('generation-image')).toHaveAttribute('width', '1024');
  await expect(source.getByTestId('kind-badge')).toHaveCount(0);

  // Slow tiles, so the progress of each can be seen.
  fake.setBehaviour({ latencyMs: 400 });
  const cell = source.locator('figure').first();
  await cell.hover();
  await cell.getByRole('button', { name: /^Upscale ×4 \(image \d+ of \d+\)$/ }).click();

  const upscaled = page.getByTestId('generation').first();
  await expect(upscaled.getByTestId('kind-badge')).toHaveText('Upscale ×4');
  await expect(upscaled.getByTestId('image-progress')).toHaveText(/Upscaling tile [2-9] of 9/);
  await expect(upscaled.getByTestId('generation-image')).toHaveAttribute('width', '4096');
  await expect(upscaled.getByTestId('image-placeholder')).toHaveCount(0);
  await expect(upscaled).toHaveAttribute('aria-label', 'a lighthouse at dusk');

  // Nine tiles went to the upscaler, each with the image's own prompt and at most 512 px a side.
  const tiles = fake.invocations.filter((call) => call.endpoint === 'sd-x4');
  expect(tiles).toHaveLength(9);
  for (const call of tiles) expect(call.body).toMatchObject({ prompt: 'a lighthouse at dusk' });

  // The large view: the full image is 4096² and the parameters say what it is and what from.
  await upscaled.getByTestId('generation-image').click();
  const viewer = page.getByRole('dialog');
  const full = viewer.locator('img').first();
  await expect
    .poll(() => full.evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight]))
    .toEqual([4096, 4096]);
  await expect(viewer.getByTestId('viewer-kind')).toHaveText('Upscale ×4');
  await expect(viewer.getByTestId('viewer-source')).toHaveText('1024 × 1024, an image of the history');
  // The source as it was sent, kept with the generation.
  const sourceImage = viewer.getByTestId('viewer-source-image');
  await expect
    .poll(() => sourceImage.evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight]))
    .toEqual([1024, 1024]);

  // A 4096² image is past what a request may name: refused, saying why, and nothing is sent.
  await viewer.getByRole('button', { name: 'Upscale ×4', exact: true }).click();
  await expect(viewer.getByRole('status')).toContainText(
    'It is 4096 × 4096 already; Upscale ×4 takes images up to 2048 px on a side.',
  );
  await expect(viewer).toBeVisible();
  await expect(page.getByTestId('generation')).toHaveCount(2);
  expect(fake.invocations.filter((call) => call.endpoint === 'sd-x4')).toHaveLength(9);

  // It stays in the history, badge and all, after a reload.
  await page.keyboard.press('Escape');
  await page.reload();
  const again = page.getByTestId('generation').first();
  await expect(again.getByTestId('kind-badge')).toHaveText('Upscale ×4');
  await expect(again.getByTestId('generation-image')).toHaveAttribute('width', '4096');

  // Reuse parameters on the upscale: its prompt, with the sidebar's text model kept.
  await page.getByRole('textbox', { name: 'Prompt', exact: true }).fill('something else');
  const cellAgain = again.locator('figure').first();
  await cellAgain.hover();
  await cellAgain.getByRole('button', { name: /^Reuse parameters \(image \d+ of \d+\)$/ }).click();
  await expect(page.getByRole('textbox', { name: 'Prompt', exact: true })).toHaveValue('a lighthouse at dusk');
  await expect(page.getByRole('combobox', { name: 'Model' })).toHaveValue('sdxl');
});

test('Cancel during a tiled upscale stops it, says how far it got, and keeps nothing', async ({ studio }) => {
  const { page, fake } = studio;
  await withUpscaler(studio);
  await page.getByRole('textbox', { name: 'Prompt', exact: true }).fill('a harbour at night');
  await page.getByLabel('Image count').fill('1');
  await page.getByRole('button', { name: 'Dream', exact: true }).click();
  const source = page.getByTestId('generation').filter({ hasText: 'a harbour at night' }).first();
  await expect(source.getByTestId('generation-image')).toHaveAttribute('width', '1024');

  // The upscaler takes its time: Cancel lands while the first tile is in flight.
  fake.setBehaviour({ latencyMs: 60_000 });
  const cell = source.locator('figure').first();
  await cell.hover();
  await cell.getByRole('button', { name: /^Upscale ×4 \(image \d+ of \d+\)$/ }).click();
  const upscaled = page.getByTestId('generation').first();
  await expect(upscaled.getByTestId('image-progress')).toHaveText('Upscaling tile 1 of 9');
  await page.getByRole('button', { name: 'Cancel', exact: true }).click();
  await expect(upscaled.getByTestId('generation-cancelled')).toHaveText(
    'Upscale cancelled after 0 of 9 tiles: nothing was kept.',
  );
  await expect.poll(() => fake.aborted).toBe(1);

  // Nothing half made is kept: after a reload only the source generation is there.
  await page.reload();
  await expect(page.getByTestId('generation').first()).toHaveAttribute('aria-label', 'a harbour at night');
  await expect(page.getByTestId('kind-badge')).toHaveCount(0);
});

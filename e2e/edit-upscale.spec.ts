import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { configureModel } from './helpers';
import { renderPng } from '../test/fakes/png';

test('Upscale ×4 in the Edit tab: the selected layer upscaled as a new layer, the same size on the canvas', async ({
  studio,
}) => {
  const { page, dataDir } = studio;
  studio.fake.setEndpoint('sd-x4', { status: 'InService', format: 'jumpstart-upscale-x4' });
  await configureModel(studio, async (dialog) => {
    await dialog.getByRole('button', { name: 'Add model' }).click();
    await dialog.getByLabel('Model ID').nth(1).fill('x4');
    await dialog.getByLabel('Display name').nth(1).fill('x4 upscaler');
    await dialog.getByLabel('Endpoint name').nth(1).fill('sd-x4');
    await dialog.getByLabel('Payload format').nth(1).selectOption('jumpstart-upscale-x4');
  });
  await page.getByRole('tab', { name: 'Edit' }).click();
  await page.getByTestId('edit-file-input').setInputFiles({
    name: 'small.png',
    mimeType: 'image/png',
    buffer: renderPng(128, 96, 4),
  });
  const layers = page.getByTestId('layer');
  await expect(layers).toHaveCount(1);
  const [x, y, sx, sy] = ((await layers.first().getAttribute('data-geometry')) ?? '').split(',').map(Number);

  await page.getByRole('button', { name: 'Upscale ×4' }).click();
  await expect(layers).toHaveCount(2);
  await expect(layers.first().getByRole('button', { name: 'small ×4', exact: true })).toBeVisible();
  // Four times the pixels, a quarter of the scale: the same place and size on the canvas.
  await expect(page.getByTestId('editor-save-state')).toHaveText('Saved');
  const document = JSON.parse(readFileSync(join(dataDir, 'editor', 'document.json'), 'utf8')) as {
    layers: Array<{
      name: string;
      width: number;
      height: number;
      x: number;
      y: number;
      scaleX: number;
      scaleY: number;
    }>;
  };
  const upscaled = document.layers.find((l) => l.name === 'small ×4');
  expect(upscaled).toMatchObject({ width: 512, height: 384, x, y });
  expect(upscaled!.scaleX * 512).toBeCloseTo((sx ?? NaN) * 128);
  expect(upscaled!.scaleY * 384).toBeCloseTo((sy ?? NaN) * 96);
});

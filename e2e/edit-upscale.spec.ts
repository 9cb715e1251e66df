import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { configureModel } from './helpers';
import { renderPng } from '../test/fakes/png';

/** Settings with an x4 upscaler beside the SDXL model, on the test's fake endpoint. */
const withUpscaler = async (studio: Parameters<typeof configureModel>[0]): Promise<void> => {
  studio.fake.setEndpoint('sd-x4', { status: 'InService', format: 'jumpstart-upscale-x4' });
  await configureModel(studio, async (dialog) => {
    await dialog.getByRole('button', { name: 'Add model' }).click();
    await dialog.getByLabel('Model ID').nth(1).fill('x4');
    await dialog.getByLabel('Display name').nth(1).fill('x4 upscaler');
    await dialog.getByLabel('Endpoint name').nth(1).fill('sd-x4');
    await dialog.getByLabel('Payload format').nth(1).selectOption('jumpstart-upscale-x4');
  });
};

/** The Edit tab with one layer from a file, `width` × `height`, named `name`. */
const layerFromFile = async (page: Page, name: string, width: number, height: number): Promise<void> => {
  await page.getByRole('tab', { name: 'Edit' }).click();
  await page.getByTestId('edit-file-input').setInputFiles({
    name: `${name}.png`,
    mimeType: 'image/png',
    buffer: renderPng(width, height, 4),
  });
  await expect(page.getByTestId('layer')).toHaveCount(1);
};

const storedLayerNames = (dataDir: string): string[] =>
  (
    JSON.parse(readFileSync(join(dataDir, 'editor', 'document.json'), 'utf8')) as {
      layers: Array<{ name: string }>;
    }
  ).layers.map((l) => l.name);

test('Upscale ×4 in the Edit tab: the selected layer upscaled as a new layer, the same size on the canvas', async ({
  studio,
}) => {
  const { page, dataDir } = studio;
  await withUpscaler(studio);
  await layerFromFile(page, 'small', 128, 96);
  const layers = page.getByTestId('layer');
  const [x, y, sx, sy] = ((await layers.first().getAttribute('data-geometry')) ?? '').split(',').map(Number);

  // A failure says why, in place, and adds nothing.
  studio.fake.setBehaviour({ failNext: ['ModelError'] });
  const status = page.getByTestId('upscale-status');
  await page.getByRole('button', { name: 'Upscale ×4' }).click();
  await expect(status).toContainText(
    `Could not upscale “small”: The model on "sd-x4" returned an error (400): injected fault: the model rejected the request. The model container's log is in CloudWatch:`,
  );
  await expect(page.getByTestId('upscale')).toHaveAttribute('data-state', 'failed');
  await expect(layers).toHaveCount(1);

  await page.getByRole('button', { name: 'Upscale ×4' }).click();
  await expect(layers).toHaveCount(2);
  await expect(status).toHaveText('“small” upscaled ×4: the result is a new layer over it.');
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
      made?: { input: { kind?: string }; seed: number };
    }>;
  };
  const upscaled = document.layers.find((l) => l.name === 'small ×4');
  expect(upscaled).toMatchObject({ width: 512, height: 384, x, y });
  // It carries the upscale's parameters, which Export and Send to history take along.
  expect(upscaled?.made?.input.kind).toBe('upscale');
  expect(upscaled!.scaleX * 512).toBeCloseTo((sx ?? NaN) * 128);
  expect(upscaled!.scaleY * 384).toBeCloseTo((sy ?? NaN) * 96);
});

test('Upscale ×4 in the Edit tab of a layer in tiles: progress per tile, the button off while it runs, then the new layer', async ({
  studio,
}) => {
  const { page, fake, dataDir } = studio;
  await withUpscaler(studio);
  // 800 × 600 goes in four tiles of at most 512 px.
  await layerFromFile(page, 'wide', 800, 600);
  const layers = page.getByTestId('layer');
  const status = page.getByTestId('upscale-status');
  await expect(status).toHaveText('');

  // The upscaler answers two tiles, then holds the third until the test lets it go.
  fake.setBehaviour({ holdAfter: fake.invocations.length + 2 });
  const upscale = page.getByRole('button', { name: 'Upscale ×4' });
  await upscale.click();
  await expect(status).toHaveText('Upscaling tile 3 of 4');
  await expect(upscale).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Cancel upscale' })).toBeEnabled();
  await expect(layers).toHaveCount(1);

  fake.setBehaviour({ holdAfter: null });
  await expect(status).toHaveText('“wide” upscaled ×4: the result is a new layer over it.');
  await expect(layers).toHaveCount(2);
  await expect(layers.first().getByRole('button', { name: 'wide ×4', exact: true })).toBeVisible();
  await expect(upscale).toBeEnabled();
  await expect(page.getByRole('button', { name: 'Cancel upscale' })).toHaveCount(0);
  const tiles = fake.invocations.filter((call) => call.endpoint === 'sd-x4');
  expect(tiles).toHaveLength(4);
  await expect(page.getByTestId('editor-save-state')).toHaveText('Saved');
  expect(storedLayerNames(dataDir)).toEqual(['wide', 'wide ×4']);

  await page.getByRole('button', { name: 'Dismiss', exact: true }).click();
  await expect(status).toHaveText('');
});

test('Cancel during a tiled upscale in the Edit tab stops it, says how far it got, and adds no layer', async ({
  studio,
}) => {
  const { page, fake, dataDir } = studio;
  await withUpscaler(studio);
  await layerFromFile(page, 'wide', 800, 600);
  const layers = page.getByTestId('layer');
  const status = page.getByTestId('upscale-status');

  // Two tiles done, the third held in flight when Cancel lands.
  fake.setBehaviour({ holdAfter: fake.invocations.length + 2 });
  const upscale = page.getByRole('button', { name: 'Upscale ×4' });
  await upscale.click();
  await expect(status).toHaveText('Upscaling tile 3 of 4');
  await page.getByRole('button', { name: 'Cancel upscale' }).click();
  await expect(status).toHaveText('Upscale cancelled after 2 of 4 tiles: nothing was kept.');
  await expect.poll(() => fake.aborted).toBe(1);
  expect(fake.invocations.filter((call) => call.endpoint === 'sd-x4')).toHaveLength(3);

  // No layer added, nothing half made in the history; a new upscale may start.
  await expect(layers).toHaveCount(1);
  await expect(upscale).toBeEnabled();
  await expect(page.getByTestId('editor-save-state')).toHaveText('Saved');
  expect(storedLayerNames(dataDir)).toEqual(['wide']);
  // The history says the same where the upscale's card was; after a reload nothing of it is there.
  await page.getByRole('tab', { name: 'Generate' }).click();
  await expect(page.getByTestId('generation-cancelled')).toHaveText(
    'Upscale cancelled after 2 of 4 tiles: nothing was kept.',
  );
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Nothing here yet' })).toBeVisible();
  await expect(page.getByTestId('generation')).toHaveCount(0);
});

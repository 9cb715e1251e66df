/**
 * Takes the README's screenshot from the app itself: web mode against the fake endpoint,
 * a few generations, the studio at 1440×900 (docs/studio.png) and the settings dialog
 * (docs/settings.png), and the Edit tab with two images of the history as layers and a dream box showing its results (docs/edit.png). Run after `npm run build`: npx tsx scripts/screenshot.ts
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { startServer } from '../src-main/server/server';
import { chromiumLaunchOptions } from '../e2e/chromium';
import { webModeCore } from '../bench/support/web-core';
import { defaultSettings } from '../src-shared/settings';
import { testCredentials } from '../test/fakes/keys';
import { startFakeSageMaker } from '../test/fakes/sagemaker-endpoint';
import { startFakeSts } from '../test/fakes/sts';
import sharp from 'sharp';
import { writeAwsProfiles } from '../test/support/aws-profile';

const root = join(import.meta.dirname, '..');

const main = async (): Promise<void> => {
  Object.assign(process.env, writeAwsProfiles({ default: testCredentials }));
  const fake = await startFakeSageMaker();
  const sts = await startFakeSts();
  const dataDir = mkdtempSync(join(tmpdir(), 'studio-shot-'));
  const core = webModeCore(dataDir, {
    models: [{ modelId: 'sdxl', modelName: 'SDXL 1.0', endpointName: 'sdxl-1-0-jumpstart', format: 'stability' }],
    endpointOverrides: {
      ...defaultSettings().endpointOverrides,
      sagemakerRuntime: fake.url,
      sagemaker: fake.url,
      sts: sts.url,
    },
  });
  for (const [prompt, stylePreset] of [
    ['Cosmic swirl of stars and galaxies, otherworldly, abstract, high detail', 'digital-art'],
    ['A space station with spaceships coming and going, astronauts on EVA missions', 'cinematic'],
    ['Fantasy castle on a hilltop, rolling hills and a beautiful sunset, magical, serene', 'fantasy-art'],
  ] as const) {
    const result = await core.dispatch('generate', { input: { prompt, stylePreset, seed: prompt.length }, count: 4 });
    if (!result.ok) throw new Error(result.error.message);
  }
  const server = await startServer({ core, rendererDir: join(root, 'out', 'renderer'), port: 0 });
  const browser = await chromium.launch(chromiumLaunchOptions);
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(server.openUrl);
  await page
    .getByLabel('Prompt', { exact: true })
    .fill('Fantasy castle on a hilltop, rolling hills and a beautiful sunset, magical, serene');
  const loaded = `(() => { const imgs = [...document.querySelectorAll('[data-testid="generation-image"]')].slice(0, 8);
    return imgs.length === 8 && imgs.every((i) => i.complete && i.naturalWidth > 0); })()`;
  for (let i = 0; i < 100 && !(await page.evaluate(loaded)); i++) await page.waitForTimeout(100);
  await page.waitForTimeout(300);
  const save = async (name: string): Promise<void> => {
    await sharp(await page.screenshot())
      .png({ palette: true, quality: 90, effort: 8 })
      .toFile(join(root, 'docs', name));
  };
  await save('studio.png');
  await page.getByRole('button', { name: 'App settings' }).click();
  await page.getByRole('dialog', { name: 'Settings' }).waitFor();
  await page.waitForTimeout(300);
  await save('settings.png');
  await page.keyboard.press('Escape');
  // The Edit tab: the castle, and a galaxy over its corner.
  for (const [index, dx, dy] of [
    [0, 0, 0],
    [8, 260, 170],
  ] as const) {
    const cell = page.getByTestId('generation').locator('figure').nth(index);
    await cell.hover();
    await cell.getByRole('button', { name: /^Edit \(image \d+ of \d+\)$/ }).click();
    await page
      .getByTestId('layer')
      .nth(index === 0 ? 0 : 1)
      .waitFor();
    const box = await page.getByTestId('edit-canvas').boundingBox();
    if (box && dx) {
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width / 2 + dx, box.y + box.height / 2 + dy, { steps: 8 });
      await page.mouse.up();
    }
    await page.getByRole('tab', { name: 'Generate' }).click();
  }
  await page.getByRole('tab', { name: 'Edit' }).click();
  await page.getByRole('button', { name: 'Fit' }).click();
  // A dream box over the castle, its parameters in the sidebar.
  await page.getByTestId('layer').first().getByRole('button').first().click();
  await page.getByTestId('add-dream-box').click();
  await page.getByTestId('box-panel').waitFor();
  // Dreamed in: its results shown as choices inside the box, the second one picked.
  const dreamBox = page.getByTestId('dream-box');
  await dreamBox.getByRole('button', { name: 'Dream in box' }).click();
  await dreamBox.and(page.locator('[data-state="done"]')).waitFor();
  await dreamBox.getByRole('button', { name: 'Next result' }).click();
  await page.getByTestId('editor-save-state').filter({ hasText: 'Saved' }).waitFor();
  await page.waitForTimeout(500);
  await save('edit.png');
  await browser.close();
  await server.close();
  core.close();
  await fake.close();
  await sts.close();
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

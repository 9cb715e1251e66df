import { readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { configureModel } from './helpers';
import type { StudioApp } from './fixtures';

const promptBox = (page: Page): Locator => page.getByRole('textbox', { name: 'Prompt', exact: true });
const negativeBox = (page: Page): Locator => page.getByRole('textbox', { name: 'Negative prompt', exact: true });

/** Dreams and waits until the newest generation shows `count` images. */
const dream = async (page: Page, prompt: string, count: number, negative?: string): Promise<Locator> => {
  await promptBox(page).fill(prompt);
  if (negative !== undefined) {
    if (!(await negativeBox(page).isVisible())) await page.keyboard.press('Alt+KeyN');
    await negativeBox(page).fill(negative);
  }
  await page.getByLabel('Image count').fill(String(count));
  await page.getByRole('button', { name: 'Dream', exact: true }).click();
  const generation = page.getByTestId('generation').filter({ hasText: prompt }).first();
  await expect(generation.getByTestId('generation-image')).toHaveCount(count);
  return generation;
};

/** The seeds the fake endpoint really used for every call with this prompt. */
const seedsFor = (studio: StudioApp, prompt: string): number[] =>
  studio.fake.invocations
    .filter((call) => {
      const body = call.body as { text_prompts?: Array<{ text: string }> } | undefined;
      return body?.text_prompts?.[0]?.text === prompt;
    })
    .flatMap((call) => call.seeds ?? []);

/** Hover an image so its actions show, then press one of them. */
const imageAction = async (generation: Locator, index: number, action: string): Promise<void> => {
  const cell = generation.locator('figure').nth(index);
  await cell.hover();
  // Named for their image on the grid: "Reuse parameters (image 1 of 4)".
  await cell.getByRole('button', { name: new RegExp(`^${action} \\(image \\d+ of \\d+\\)$`) }).click();
};

// An independent PNG chunk reader: signature, then length / type / data / CRC, checked here.
const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (bytes: Buffer): number => {
  let c = 0xffffffff;
  for (const byte of bytes) c = (crcTable[(c ^ byte) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};

const readTextChunks = (png: Buffer): Map<string, string> => {
  expect(png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
  const texts = new Map<string, string>();
  let offset = 8;
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.subarray(offset + 4, offset + 8).toString('latin1');
    const data = png.subarray(offset + 8, offset + 8 + length);
    expect(png.readUInt32BE(offset + 8 + length), `CRC of ${type}`).toBe(
      crc32(png.subarray(offset + 4, offset + 8 + length)),
    );
    offset += 12 + length;
    if (type === 'tEXt') {
      const zero = data.indexOf(0);
      texts.set(data.subarray(0, zero).toString('latin1'), data.subarray(zero + 1).toString('latin1'));
    } else if (type === 'iTXt') {
      const zero = data.indexOf(0);
      const keyword = data.subarray(0, zero).toString('latin1');
      const compressed = data[zero + 1] === 1;
      const languageEnd = data.indexOf(0, zero + 3);
      const translatedEnd = data.indexOf(0, languageEnd + 1);
      const text = data.subarray(translatedEnd + 1);
      texts.set(keyword, (compressed ? inflateSync(text) : text).toString('utf8'));
    }
    if (type === 'IEND') break;
  }
  return texts;
};

test('the large view shows the real seed and every parameter; arrows step across generations; Escape closes', async ({
  studio,
}) => {
  const { page } = studio;
  await configureModel(studio);
  await dream(page, 'a red fox in the snow, woodcut', 2);
  const whale = await dream(page, 'a blue whale under the aurora', 2);
  const whaleSeeds = seedsFor(studio, 'a blue whale under the aurora');
  const foxSeeds = seedsFor(studio, 'a red fox in the snow, woodcut');
  expect(whaleSeeds).toHaveLength(2);

  await imageAction(whale, 0, 'Open');
  const viewer = page.getByRole('dialog', { name: 'Image' });
  await expect(viewer).toBeVisible();
  await expect(viewer.getByTestId('viewer-prompt')).toHaveText('a blue whale under the aurora');
  const shown = [Number(await viewer.getByTestId('viewer-seed').textContent())];
  await expect(viewer.getByText('SDXL 1.0 (fake)')).toBeVisible();
  await expect(viewer.getByText('1024 × 1024')).toBeVisible();
  // The full image, not the grid's thumbnail.
  await expect
    .poll(() => viewer.getByTestId('viewer-image').evaluate((img) => (img as HTMLImageElement).naturalWidth))
    .toBe(1024);

  await page.keyboard.press('ArrowRight');
  shown.push(Number(await viewer.getByTestId('viewer-seed').textContent()));
  expect(shown.sort()).toEqual([...whaleSeeds].sort());

  // Past the newest generation's last image: the older generation's first.
  await page.keyboard.press('ArrowRight');
  await expect(viewer.getByTestId('viewer-prompt')).toHaveText('a red fox in the snow, woodcut');
  expect(foxSeeds).toContain(Number(await viewer.getByTestId('viewer-seed').textContent()));
  await expect(viewer.getByTestId('viewer-position')).toHaveText('3 / 4');
  await page.keyboard.press('ArrowLeft');
  await expect(viewer.getByTestId('viewer-prompt')).toHaveText('a blue whale under the aurora');

  await page.keyboard.press('Escape');
  await expect(viewer).toBeHidden();
});

test('Save as PNG downloads the image with AUTOMATIC1111 parameters and our JSON inside', async ({ studio }) => {
  const { page } = studio;
  await configureModel(studio);
  const prompt = 'an old stone bridge over a river, morning mist';
  const generation = await dream(page, prompt, 1, 'people, text');
  const [seed] = seedsFor(studio, prompt);
  const call = studio.fake.invocations.at(-1);
  const body = call?.body as { steps: number; cfg_scale: number; sampler?: string };

  const [download] = await Promise.all([page.waitForEvent('download'), imageAction(generation, 0, 'Save as PNG')]);
  expect(download.suggestedFilename()).toMatch(/\.png$/);
  const png = readFileSync(await download.path());
  const texts = readTextChunks(png);

  const parameters = texts.get('parameters');
  expect(parameters).toBeDefined();
  const lines = (parameters ?? '').split('\n');
  expect(lines[0]).toBe(prompt);
  expect(lines[1]).toBe('Negative prompt: people, text');
  const settings =
    /^Steps: (\d+), Sampler: ([^,]+), CFG scale: ([\d.]+), Seed: (\d+), Size: (\d+)x(\d+), Model: ([^,]+)/.exec(
      lines[2] ?? '',
    );
  expect(settings, lines[2]).not.toBeNull();
  const [, steps, sampler, cfg, fileSeed, width, height, model] = settings ?? [];
  expect(Number(steps)).toBe(body.steps);
  expect(Number(cfg)).toBe(body.cfg_scale);
  if (body.sampler) expect(sampler).toBe(body.sampler);
  expect(Number(fileSeed)).toBe(seed);
  expect(`${width}x${height}`).toBe('1024x1024');
  expect(model).toMatch(/sdxl/i);

  const json = JSON.parse(texts.get('stablestudio') ?? '{}') as {
    input?: { prompt?: string; negativePrompt?: string };
    seed?: number;
  };
  expect(json.input?.prompt).toBe(prompt);
  expect(json.input?.negativePrompt).toBe('people, text');
  expect(json.seed).toBe(seed);

  // "Download all" offers the same file for each image of the generation.
  const [all] = await Promise.all([
    page.waitForEvent('download'),
    generation.getByRole('button', { name: 'Download all' }).click(),
  ]);
  expect(readTextChunks(readFileSync(await all.path())).get('parameters')).toBe(parameters);
});

test('Copy image puts a PNG on the clipboard and says so', async ({ studio, context }) => {
  const { page } = studio;
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await configureModel(studio);
  const generation = await dream(page, 'a paper boat on a puddle', 1);
  await imageAction(generation, 0, 'Copy image');
  await expect(page.getByRole('status').filter({ hasText: 'Image copied' })).toBeVisible();
  const copied = await page.evaluate(async () => {
    const items = await navigator.clipboard.read();
    const item = items.find((candidate) => candidate.types.includes('image/png'));
    if (!item) return { types: items.flatMap((candidate) => candidate.types), bytes: [] as number[] };
    const blob = await item.getType('image/png');
    return { types: item.types, bytes: Array.from(new Uint8Array(await blob.arrayBuffer()).slice(0, 24)) };
  });
  expect(copied.types).toContain('image/png');
  const head = Buffer.from(copied.bytes);
  expect(head.subarray(1, 4).toString('latin1')).toBe('PNG');
  expect(head.readUInt32BE(16)).toBe(1024);
});

test('Reuse parameters, Use as init image and Variations fill the sidebar; Variations dreams from the image', async ({
  studio,
}) => {
  const { page, fake } = studio;
  await configureModel(studio);
  const prompt = 'a glass teapot with blooming tea, studio light';
  const generation = await dream(page, prompt, 1, 'plastic');

  await promptBox(page).fill('something else entirely');
  await negativeBox(page).fill('');
  await imageAction(generation, 0, 'Reuse parameters');
  await expect(promptBox(page)).toHaveValue(prompt);
  await expect(negativeBox(page)).toHaveValue('plastic');

  await imageAction(generation, 0, 'Use as init image');
  const sidebar = page.getByRole('complementary', { name: 'Generate options' });
  const src = await generation.getByTestId('generation-image').first().getAttribute('src');
  const imageId = await generation.locator('figure').first().getAttribute('data-image-id');
  expect(imageId).toBeTruthy();
  await expect(sidebar.locator(`img[src*="${imageId}"]`)).toBeVisible();
  expect(src).toContain(imageId);

  const calls = fake.invocations.length;
  await imageAction(generation, 0, 'Variations');
  await expect.poll(() => fake.invocations.length).toBeGreaterThan(calls);
  const body = fake.invocations.at(-1)?.body as { init_image?: string; text_prompts?: Array<{ text: string }> };
  expect(typeof body.init_image).toBe('string');
  expect((body.init_image ?? '').length).toBeGreaterThan(1000);
  expect(body.text_prompts?.[0]?.text).toBe(prompt);
  await expect(page.getByTestId('generation')).toHaveCount(2);
  await expect(page.getByTestId('generation').first().getByTestId('generation-image')).toHaveCount(1);
});

test('Delete image and Delete generation: gone from the stream, and still gone after a restart', async ({ studio }) => {
  const { page } = studio;
  await configureModel(studio);
  await dream(page, 'three lemons on a blue plate', 2);
  const keep = await dream(page, 'a cat asleep on a windowsill', 3);

  const doomed = await keep.locator('figure').nth(1).getAttribute('data-image-id');
  await imageAction(keep, 1, 'Delete image');
  await expect(keep.getByTestId('generation-image')).toHaveCount(2);
  await expect(page.locator(`figure[data-image-id="${doomed}"]`)).toHaveCount(0);

  const lemons = page.getByTestId('generation').filter({ hasText: 'three lemons on a blue plate' });
  await lemons.getByRole('button', { name: 'Delete generation' }).click();
  // One more step before anything is deleted; "Keep" backs out.
  const confirm = lemons.getByRole('group', { name: 'Confirm delete' });
  await expect(confirm).toContainText('Delete these 2 images?');
  await confirm.getByRole('button', { name: 'Keep' }).click();
  await expect(lemons.getByTestId('generation-image')).toHaveCount(2);
  await lemons.getByRole('button', { name: 'Delete generation' }).click();
  await lemons.getByRole('group', { name: 'Confirm delete' }).getByRole('button', { name: 'Delete' }).click();
  await expect(lemons).toHaveCount(0);
  await expect(page.getByTestId('generation')).toHaveCount(1);

  await studio.restart();
  const after = studio.page.getByTestId('generation');
  await expect(after).toHaveCount(1);
  await expect(after.first()).toContainText('a cat asleep on a windowsill');
  await expect(after.first().getByTestId('generation-image')).toHaveCount(2);
  await expect(studio.page.locator(`figure[data-image-id="${doomed}"]`)).toHaveCount(0);
  // The deleted image's place is gone, not shown as a failed or missing image.
  await expect(after.first().getByTestId('image-failed')).toHaveCount(0);
});

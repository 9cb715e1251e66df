import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { PNG } from 'pngjs';
import type { Locator, Page } from '@playwright/test';
import { sdxlSizes } from '../src-shared/generation';
import { maxInitImageBytes } from '../src-shared/limits';
import { pngOfSize } from '../test/fakes/png';
import { expect, test } from './fixtures';
import { configureModel } from './helpers';
import type { StudioApp } from './fixtures';

const sidebarOf = (page: Page): Locator => page.getByRole('complementary', { name: 'Generate options' });

/** The JSON body of the endpoint's i-th invocation, once it arrived. */
const bodyOf = async (studio: StudioApp, index: number): Promise<Record<string, unknown>> => {
  await expect.poll(() => studio.fake.invocations.length).toBeGreaterThan(index);
  const body = studio.fake.invocations[index]?.body;
  if (typeof body !== 'object' || body === null) throw new Error(`invocation ${index} has no JSON body`);
  return body as Record<string, unknown>;
};

const dream = async (page: Page, prompt: string, count = 1): Promise<void> => {
  const sidebar = sidebarOf(page);
  await sidebar.getByLabel('Prompt', { exact: true }).fill(prompt);
  await sidebar.getByLabel('Image count').fill(String(count));
  await sidebar.getByRole('button', { name: 'Dream' }).click();
};

/** A small PNG drawn here (a diagonal gradient), optionally with extra chunks after IHDR. */
const makePng = (width: number, height: number, chunks: Buffer[] = []): Buffer => {
  const png = new PNG({ width, height });
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      png.data[i] = Math.round((255 * x) / width);
      png.data[i + 1] = Math.round((255 * y) / height);
      png.data[i + 2] = 160;
      png.data[i + 3] = 255;
    }
  }
  const bytes = PNG.sync.write(png);
  const ihdrEnd = 8 + 8 + bytes.readUInt32BE(8) + 4;
  return Buffer.concat([bytes.subarray(0, ihdrEnd), ...chunks, bytes.subarray(ihdrEnd)]);
};

/** One PNG chunk, written by hand: length, type, data, CRC-32 of type + data. */
const pngChunk = (type: string, data: Buffer): Buffer => {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
};

const tEXt = (keyword: string, text: string): Buffer =>
  pngChunk('tEXt', Buffer.concat([Buffer.from(`${keyword}\0`, 'latin1'), Buffer.from(text, 'latin1')]));

/** A compressed iTXt chunk (flag 1, method 0, no language, no translated keyword). */
const compressedITXt = (keyword: string, text: string): Buffer =>
  pngChunk(
    'iTXt',
    Buffer.concat([
      Buffer.from(`${keyword}\0`, 'latin1'),
      Buffer.from([1, 0, 0, 0]),
      deflateSync(Buffer.from(text, 'utf8')),
    ]),
  );

/** Drags a file over the window and drops it on `target` (the page's own drag-and-drop handlers run). */
const dropFile = async (page: Page, target: Locator, name: string, bytes: Buffer): Promise<void> => {
  const dataTransfer = await page.evaluateHandle(
    ({ base64, fileName }) => {
      const data = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([data], fileName, { type: 'image/png' }));
      return transfer;
    },
    { base64: bytes.toString('base64'), fileName: name },
  );
  await target.dispatchEvent('dragenter', { dataTransfer });
  await target.dispatchEvent('dragover', { dataTransfer });
  await target.dispatchEvent('drop', { dataTransfer });
  await dataTransfer.dispose();
};

test('style picker: bundled thumbnails, keyboard, and Anime reaches the endpoint as style_preset', async ({
  studio,
}) => {
  const { page } = studio;
  await configureModel(studio);
  const sidebar = sidebarOf(page);
  const trigger = sidebar.getByRole('button', { name: 'Style', exact: true });
  await trigger.click();
  const list = page.getByRole('listbox', { name: 'Styles' });
  await expect(list.getByRole('option')).toHaveCount(17);
  await expect(list.getByRole('option', { name: 'None' })).toBeVisible();

  // Every thumbnail is a file of the app itself, and it loaded.
  const images = list.locator('img');
  await expect(images).toHaveCount(17);
  for (const img of await images.all()) {
    await expect
      .poll(() =>
        img.evaluate((el) => {
          const image = el as HTMLImageElement;
          return new URL(image.src).origin === window.location.origin && image.complete && image.naturalWidth > 0;
        }),
      )
      .toBe(true);
  }

  // Keyboard: Escape closes and gives focus back; End + Enter picks the last style.
  await page.keyboard.press('Escape');
  await expect(list).toBeHidden();
  await expect(trigger).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(list).toBeVisible();
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  await expect(list).toBeHidden();
  await expect(trigger).toContainText('Pixel Art');

  await trigger.click();
  await list.getByRole('option', { name: 'Anime' }).click();
  await expect(list).toBeHidden();
  await expect(trigger).toContainText('Anime');

  await dream(page, 'a fox in a bamboo forest');
  expect((await bodyOf(studio, 0)).style_preset).toBe('anime');

  await trigger.click();
  await list.getByRole('option', { name: 'None' }).click();
  await dream(page, 'a fox in a bamboo forest, no style');
  expect((await bodyOf(studio, 1)).style_preset).toBeUndefined();
});

test('the style picker and sampler hide for a model whose format has no style presets', async ({ studio }) => {
  const { page } = studio;
  await configureModel(studio);
  const sidebar = sidebarOf(page);
  await expect(sidebar.getByRole('button', { name: 'Style', exact: true })).toBeVisible();
  await expect(sidebar.getByLabel('Sampler')).toBeVisible();

  await page.getByRole('button', { name: 'App settings' }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await dialog.getByLabel('Payload format').first().selectOption('jumpstart-sd');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();

  await expect(sidebar.getByRole('button', { name: 'Style', exact: true })).toHaveCount(0);
  await expect(sidebar.getByLabel('Sampler')).toHaveCount(0);
});

test('upload an init image with the file picker; strength 60 % reaches the endpoint', async ({ studio }) => {
  const { page } = studio;
  await configureModel(studio);
  const sidebar = sidebarOf(page);

  const chooser = page.waitForEvent('filechooser');
  await sidebar.getByRole('button', { name: 'Upload image', exact: true }).click();
  await (await chooser).setFiles({ name: 'start.png', mimeType: 'image/png', buffer: makePng(320, 200) });

  const preview = sidebar.getByTestId('init-image').getByRole('img', { name: 'Init image' });
  await expect(preview).toBeVisible();
  await expect.poll(() => preview.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBe(320);

  const strength = sidebar.getByLabel('Image strength');
  await strength.fill('60');
  await expect(sidebar.getByText('60 %')).toBeVisible();

  await dream(page, 'the same picture, as a watercolour');
  const body = await bodyOf(studio, 0);
  expect(body.init_image_mode).toBe('IMAGE_STRENGTH');
  expect(body.image_strength).toBeCloseTo(0.6, 5);
  expect(typeof body.init_image).toBe('string');
  const init = PNG.sync.read(Buffer.from(String(body.init_image), 'base64'));
  expect([init.width, init.height]).toEqual([body.width, body.height]);
  await expect(page.getByTestId('generation').first().getByTestId('generation-image')).toHaveCount(1);

  // Removed: the next Dream is text-to-image again.
  await sidebar.getByRole('button', { name: 'Remove image' }).click();
  await expect(sidebar.getByTestId('init-image')).toHaveCount(0);
  await dream(page, 'text only again');
  expect((await bodyOf(studio, 1)).init_image).toBeUndefined();
});

test('a pasted image and an image dropped on Upload image become the init image', async ({ studio }) => {
  const { page } = studio;
  await configureModel(studio);
  const sidebar = sidebarOf(page);
  const png = makePng(64, 48);

  // Paste with no text field focused.
  await page.evaluate((base64) => {
    const data = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const transfer = new DataTransfer();
    transfer.items.add(new File([data], 'pasted.png', { type: 'image/png' }));
    document.body.dispatchEvent(
      new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true, cancelable: true }),
    );
  }, png.toString('base64'));
  const preview = sidebar.getByTestId('init-image').getByRole('img', { name: 'Init image' });
  await expect.poll(() => preview.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBe(64);

  await sidebar.getByRole('button', { name: 'Remove image' }).click();
  await expect(sidebar.getByTestId('init-image')).toHaveCount(0);

  // A PNG with parameters dropped on the Upload section is still just an image to start from.
  const withParameters = makePng(80, 60, [
    tEXt('parameters', 'a prompt that must not be imported\nSteps: 12, Seed: 5'),
  ]);
  await dropFile(page, sidebar.locator('[data-drop="upload"]'), 'dropped.png', withParameters);
  await expect.poll(() => preview.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBe(80);
  await expect(sidebar.getByLabel('Prompt', { exact: true })).toHaveValue('');
});

test('an init image of up to 20 MB is taken; a larger one is refused before it is sent, saying the limit', async ({
  studio,
}) => {
  const { page } = studio;
  await configureModel(studio);
  const sidebar = sidebarOf(page);
  const input = sidebar.getByTestId('upload-input');
  // Files on disk: Playwright hands a local browser their paths instead of sending 20 MB over the protocol.
  const file = (name: string, bytes: Buffer): string => {
    const path = test.info().outputPath(name);
    writeFileSync(path, bytes);
    return path;
  };

  await input.setInputFiles(file('huge.png', pngOfSize(maxInitImageBytes + 1)));
  await expect(page.getByRole('alert').filter({ hasText: 'Image too large' })).toContainText(
    'huge.png is too large: an init image can be at most 20 MB.',
  );
  await expect(sidebar.getByTestId('init-image')).toHaveCount(0);
  expect(existsSync(join(studio.dataDir, 'uploads'))).toBe(false);

  // Over what web mode used to take (16 MB), within the limit: it becomes the init image.
  await input.setInputFiles(file('large.png', pngOfSize(maxInitImageBytes - 64 * 1024)));
  const preview = sidebar.getByTestId('init-image').getByRole('img', { name: 'Init image' });
  await expect.poll(() => preview.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBe(2048);
});

test('Advanced: CFG, steps, sampler and a locked seed reach the endpoint; unlocked seeds differ', async ({
  studio,
}) => {
  const { page } = studio;
  await configureModel(studio);
  const sidebar = sidebarOf(page);
  await expect(sidebar.getByRole('button', { name: 'Advanced' })).toHaveAttribute('aria-expanded', 'true');

  await sidebar.getByLabel('CFG scale').fill('9.5');
  await sidebar.getByLabel('Steps').fill('42');
  await sidebar.getByLabel('Sampler').selectOption('K_EULER');
  await sidebar.getByLabel('Seed', { exact: true }).fill('1234');
  const lock = sidebar.getByRole('button', { name: 'Lock seed' });
  // Typing a seed locks it.
  await expect(lock).toHaveAttribute('aria-pressed', 'true');

  await dream(page, 'a locked seed');
  await expect.poll(() => studio.fake.invocations.length).toBe(1);
  await sidebar.getByRole('button', { name: 'Dream' }).click();
  for (const index of [0, 1]) {
    const body = await bodyOf(studio, index);
    expect(body.seed).toBe(1234);
    expect(body.cfg_scale).toBe(9.5);
    expect(body.steps).toBe(42);
    expect(body.sampler).toBe('K_EULER');
  }

  await lock.click();
  await expect(lock).toHaveAttribute('aria-pressed', 'false');
  await sidebar.getByRole('button', { name: 'Dream' }).click();
  await expect.poll(() => studio.fake.invocations.length).toBe(3);
  await sidebar.getByRole('button', { name: 'Dream' }).click();
  const third = await bodyOf(studio, 2);
  const fourth = await bodyOf(studio, 3);
  expect(third.seed).not.toBe(fourth.seed);
  expect(third.seed).not.toBe(1234);

  // The dice picks a fresh seed and keeps it.
  await sidebar.getByRole('button', { name: 'Random seed' }).click();
  await expect(lock).toHaveAttribute('aria-pressed', 'true');
  const rolled = Number(await sidebar.getByLabel('Seed', { exact: true }).inputValue());
  expect(rolled).toBeGreaterThan(0);
  await sidebar.getByRole('button', { name: 'Dream' }).click();
  expect((await bodyOf(studio, 4)).seed).toBe(rolled);
});

test('aspect ratio: a landscape step sends an allowed SDXL size wider than tall', async ({ studio }) => {
  const { page } = studio;
  await configureModel(studio);
  const sidebar = sidebarOf(page);
  const slider = sidebar.getByLabel('Aspect ratio');
  // The slider runs from the widest size (left) to the tallest (right); 1 is a landscape step.
  await slider.fill('1');
  await expect(sidebar.getByTestId('output-size')).toHaveText('1344 × 768');
  await dream(page, 'a wide valley');
  const body = await bodyOf(studio, 0);
  const width = Number(body.width);
  const height = Number(body.height);
  expect(width).toBeGreaterThan(height);
  expect(sdxlSizes.some(([w, h]) => w === width && h === height)).toBe(true);
});

test('the sidebar keeps its values across a restart', async ({ studio }) => {
  await configureModel(studio);
  let sidebar = sidebarOf(studio.page);
  await sidebar.getByLabel('Prompt', { exact: true }).fill('a lighthouse in a storm');
  await sidebar.getByRole('button', { name: 'Negative prompt' }).click();
  await sidebar.getByLabel('Negative prompt').fill('blurry, text');
  await sidebar.getByLabel('Image count').fill('3');
  await sidebar.getByLabel('Steps').fill('55');
  await sidebar.getByRole('button', { name: 'Style', exact: true }).click();
  await studio.page.getByRole('listbox', { name: 'Styles' }).getByRole('option', { name: 'Anime' }).click();

  // Web mode in tests listens on a new port after each restart, which is a new origin with an
  // empty localStorage; a real `npm run serve` (fixed port) or the desktop app keeps one origin.
  // Carry the origin's storage over so this checks what the app restores, not the port.
  const stored = await studio.page.evaluate(() => JSON.stringify(Object.entries(window.localStorage)));
  await studio.page.context().addInitScript((entries: string) => {
    for (const [key, value] of JSON.parse(entries) as Array<[string, string]>) {
      if (window.localStorage.getItem(key) === null) window.localStorage.setItem(key, value);
    }
  }, stored);

  await studio.restart();
  sidebar = sidebarOf(studio.page);
  await expect(sidebar.getByLabel('Prompt', { exact: true })).toHaveValue('a lighthouse in a storm');
  await expect(sidebar.getByLabel('Negative prompt')).toHaveValue('blurry, text');
  await expect(sidebar.getByLabel('Image count')).toHaveValue('3');
  await expect(sidebar.getByLabel('Steps')).toHaveValue('55');
  await expect(sidebar.getByRole('button', { name: 'Style', exact: true })).toContainText('Anime');
});

test('Ctrl+Enter dreams, from the prompt and from anywhere', async ({ studio }) => {
  const { page } = studio;
  await configureModel(studio);
  const sidebar = sidebarOf(page);
  await sidebar.getByLabel('Image count').fill('1');
  const prompt = sidebar.getByLabel('Prompt', { exact: true });
  await prompt.fill('a paper boat on a pond');
  await prompt.press('Control+Enter');
  await expect.poll(() => studio.fake.invocations.length).toBe(1);
  // Nothing focused: the shortcut belongs to the window.
  await prompt.evaluate((el) => (el as HTMLElement).blur());
  await page.keyboard.press('Control+Enter');
  await expect.poll(() => studio.fake.invocations.length).toBe(2);
  await expect(page.getByTestId('generation')).toHaveCount(2);
});

test('dropping a PNG with AUTOMATIC1111 parameters on the window fills the sidebar', async ({ studio }) => {
  const { page } = studio;
  await configureModel(studio);
  const sidebar = sidebarOf(page);
  const parameters = [
    'a red bicycle leaning on a blue wall,',
    'golden hour',
    'Negative prompt: people, cars',
    'Steps: 37, Sampler: Euler a, CFG scale: 8.5, Seed: 987654, Size: 1216x832, Model hash: abc123, Model: sd_xl_base_1.0',
  ].join('\n');
  const png = makePng(96, 64, [tEXt('parameters', parameters)]);

  const body = page.locator('body');
  const dataTransfer = await page.evaluateHandle(() => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([new Uint8Array(1)], 'probe.png', { type: 'image/png' }));
    return transfer;
  });
  await body.dispatchEvent('dragenter', { dataTransfer });
  await body.dispatchEvent('dragover', { dataTransfer });
  await expect(page.getByTestId('drop-overlay')).toContainText('Drop a PNG to import its parameters');
  await dataTransfer.dispose();

  await dropFile(page, body, 'bicycle.png', png);
  await expect(page.getByTestId('drop-overlay')).toHaveCount(0);
  await expect(page.getByText('Parameters imported from bicycle.png')).toBeVisible();
  await expect(sidebar.getByLabel('Prompt', { exact: true })).toHaveValue(
    'a red bicycle leaning on a blue wall,\ngolden hour',
  );
  await expect(sidebar.getByLabel('Negative prompt')).toHaveValue('people, cars');
  await expect(sidebar.getByLabel('Steps')).toHaveValue('37');
  await expect(sidebar.getByLabel('CFG scale')).toHaveValue('8.5');
  await expect(sidebar.getByLabel('Seed', { exact: true })).toHaveValue('987654');
  await expect(sidebar.getByRole('button', { name: 'Lock seed' })).toHaveAttribute('aria-pressed', 'true');
  await expect(sidebar.getByLabel('Sampler')).toHaveValue('K_EULER_ANCESTRAL');
  await expect(sidebar.getByTestId('output-size')).toHaveText('1216 × 832');
  // No init image came with it.
  await expect(sidebar.getByTestId('init-image')).toHaveCount(0);

  // Our own chunk (compressed iTXt JSON) wins over the text one.
  const ours = JSON.stringify({
    generator: 'StableStudio Desktop',
    input: {
      prompt: 'a koi pond, ukiyo-e',
      negativePrompt: '',
      modelId: 'sdxl',
      sampler: 'K_DPMPP_2M',
      stylePreset: 'origami',
      cfgScale: 6,
      steps: 24,
      seed: 0,
    },
    seed: 4242,
    width: 896,
    height: 1152,
    model: 'sdxl',
  });
  await dropFile(
    page,
    body,
    'koi.png',
    makePng(32, 32, [tEXt('parameters', 'ignored\nSteps: 99'), compressedITXt('stablestudio', ours)]),
  );
  await expect(sidebar.getByLabel('Prompt', { exact: true })).toHaveValue('a koi pond, ukiyo-e');
  await expect(sidebar.getByLabel('Steps')).toHaveValue('24');
  await expect(sidebar.getByLabel('Seed', { exact: true })).toHaveValue('4242');
  await expect(sidebar.getByLabel('Sampler')).toHaveValue('K_DPMPP_2M');
  await expect(sidebar.getByTestId('output-size')).toHaveText('896 × 1152');
  await expect(sidebar.getByRole('button', { name: 'Style', exact: true })).toContainText('Origami');

  // A PNG without parameters dropped on the window becomes the init image, and says so.
  await dropFile(page, body, 'plain.png', makePng(40, 30));
  await expect(page.getByText('plain.png carries no parameters')).toBeVisible();
  const preview = sidebar.getByTestId('init-image').getByRole('img', { name: 'Init image' });
  await expect.poll(() => preview.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBe(40);
  await expect(sidebar.getByLabel('Prompt', { exact: true })).toHaveValue('a koi pond, ukiyo-e');
});

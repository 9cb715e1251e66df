import { readFileSync } from 'node:fs';
import { expect, test } from './fixtures';
import type { StudioApp } from './fixtures';
import { renderPng } from '../test/fakes/png';
import { configureModel, editADreamedImage } from './helpers';

const prompt = 'a windmill in a tulip field';

/** The seed the fake endpoint drew the (one) image of this prompt with. */
const seedOf = (studio: StudioApp, text: string): number | undefined =>
  studio.fake.invocations
    .filter(
      (call) => (call.body as { text_prompts?: Array<{ text: string }> } | undefined)?.text_prompts?.[0]?.text === text,
    )
    .flatMap((call) => call.seeds ?? [])[0];

/** A PNG's uncompressed text chunks (tEXt, iTXt), by keyword: how our parameters are written. */
const textChunks = (png: Buffer): Map<string, string> => {
  const texts = new Map<string, string>();
  for (let at = 8; at + 8 <= png.length;) {
    const length = png.readUInt32BE(at);
    const type = png.subarray(at + 4, at + 8).toString('latin1');
    const data = png.subarray(at + 8, at + 8 + length);
    const zero = data.indexOf(0);
    if (type === 'tEXt')
      texts.set(data.subarray(0, zero).toString('latin1'), data.subarray(zero + 1).toString('latin1'));
    if (type === 'iTXt') texts.set(data.subarray(0, zero).toString('latin1'), data.subarray(zero + 5).toString('utf8'));
    at += 12 + length;
  }
  return texts;
};

test('A layer from the history carries its generation’s parameters: Export PNG writes them, Send to history keeps them', async ({
  studio,
}) => {
  const { page } = studio;
  await editADreamedImage(studio, prompt);
  const seed = seedOf(studio, prompt);
  expect(seed).toBeGreaterThan(0);

  // The new layer is selected: Export PNG writes it with the generation's prompt and the image's seed.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export PNG' }).click(),
  ]);
  const texts = textChunks(readFileSync(await download.path()));
  const ours = JSON.parse(texts.get('stablestudio') ?? '{}') as { input?: { prompt?: string }; seed?: number };
  expect(ours.input?.prompt).toBe(prompt);
  expect(ours.seed).toBe(seed);
  expect(texts.get('parameters')).toContain(`${prompt}\n`);
  expect(texts.get('parameters')).toContain(`Seed: ${seed},`);

  // Sent to the history, it is a new generation of the same prompt, the newest.
  await page.getByRole('button', { name: 'Send to history' }).click();
  await expect(page.getByText('Sent to the history')).toBeVisible();
  await page.getByRole('tab', { name: 'Generate' }).click();
  const same = page.getByTestId('generation').filter({ hasText: prompt });
  await expect(same).toHaveCount(2);
  await expect(same.first().getByTestId('generation-image')).toHaveCount(1);
  await expect(page.getByTestId('generation').filter({ hasText: 'Edited in the Edit tab' })).toHaveCount(0);
});

test('Send to history: the layer becomes a new generation in the history at once, and stays after a reload', async ({
  studio,
}) => {
  const { page } = studio;
  await configureModel(studio);
  // A layer from a file: it has no parameters of its own.
  await page.getByRole('tab', { name: 'Edit' }).click();
  await page.getByTestId('edit-file-input').setInputFiles({
    name: 'tulips.png',
    mimeType: 'image/png',
    buffer: renderPng(96, 64, 5),
  });
  await expect(page.getByTestId('layer')).toHaveCount(1);

  await page.getByRole('button', { name: 'Send to history' }).click();
  await expect(page.getByText('Sent to the history')).toBeVisible();
  await page.getByRole('tab', { name: 'Generate' }).click();
  const sent = page.getByTestId('generation').filter({ hasText: 'Edited in the Edit tab' });
  await expect(sent).toHaveCount(1);
  await expect(sent.getByTestId('generation-image')).toHaveCount(1);
  // The newest generation.
  await expect(page.getByTestId('generation').first()).toContainText('Edited in the Edit tab');

  await page.reload();
  await expect(page.getByTestId('generation').filter({ hasText: 'Edited in the Edit tab' })).toHaveCount(1);
});

test('Open in Edit reopens an edit (its source image as a layer, its box at the recorded place with its parameters); Reuse parameters restores the box', async ({
  studio,
}) => {
  const { page } = studio;
  await editADreamedImage(studio, prompt);
  await page.getByTestId('add-dream-box').click();
  const box = page.getByTestId('dream-box');
  await expect(box).toHaveCount(1);
  const panel = page.getByTestId('box-panel');
  await panel.getByRole('spinbutton', { name: 'Images' }).fill('1');
  await panel.getByRole('spinbutton', { name: 'Images' }).press('Enter');
  const promptField = panel.getByRole('textbox', { name: 'Prompt', exact: true });
  await promptField.fill('a red sail');
  await promptField.blur();
  await box.getByRole('button', { name: 'Dream in box' }).click();
  await expect(box).toHaveAttribute('data-state', 'done');
  const place = await box.getAttribute('data-box');
  await box.getByRole('button', { name: 'Discard' }).click();

  // The edit is in the history; reopen it from there.
  await page.getByRole('tab', { name: 'Generate' }).click();
  const edit = page.getByTestId('generation').filter({ hasText: 'a red sail' }).first();
  await expect(edit.getByTestId('generation-image')).toHaveCount(1);
  const editCell = edit.locator('figure').first();
  await editCell.hover();
  await editCell.getByRole('button', { name: /^Open in Edit \(image \d+ of \d+\)$/ }).click();

  await expect(page.getByRole('tab', { name: 'Edit' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('layer')).toHaveCount(2);
  const boxes = page.getByTestId('dream-box');
  await expect(boxes).toHaveCount(2);
  // The new box (selected) sits where the first was, the same size, with the edit's prompt.
  await expect(boxes.nth(1)).toHaveAttribute('data-box', place ?? '');
  await expect(page.getByTestId('box-panel').getByRole('textbox', { name: 'Prompt', exact: true })).toHaveValue(
    'a red sail',
  );

  // Reuse parameters on the edit: the sidebar takes its prompt, and its box comes back in the Edit tab.
  await page.getByRole('tab', { name: 'Generate' }).click();
  await editCell.hover();
  await editCell.getByRole('button', { name: /^Reuse parameters \(image \d+ of \d+\)$/ }).click();
  await expect(page.getByRole('textbox', { name: 'Prompt', exact: true })).toHaveValue('a red sail');
  await page.getByRole('tab', { name: 'Edit' }).click();
  await expect(boxes).toHaveCount(3);
  await expect(boxes.nth(2)).toHaveAttribute('data-box', place ?? '');
  await expect(page.getByTestId('layer')).toHaveCount(2);

  // The large view of the edit has Open in Edit too: it closes, and the edit is reopened the same way.
  await page.getByRole('tab', { name: 'Generate' }).click();
  await editCell.hover();
  await editCell.getByRole('button', { name: /^Open \(image \d+ of \d+\)$/ }).click();
  const viewer = page.getByRole('dialog');
  await viewer.getByRole('button', { name: 'Open in Edit', exact: true }).click();
  await expect(viewer).toBeHidden();
  await expect(page.getByRole('tab', { name: 'Edit' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('layer')).toHaveCount(3);
  await expect(boxes).toHaveCount(4);
  await expect(boxes.nth(3)).toHaveAttribute('data-box', place ?? '');
  await expect(page.getByTestId('box-panel').getByRole('textbox', { name: 'Prompt', exact: true })).toHaveValue(
    'a red sail',
  );
});

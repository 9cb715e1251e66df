import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { test as base, expect } from './fixtures';
import { configureModel } from './helpers';
import { startEmulators } from '../test/support/emulators';
import type { Emulators } from '../test/support/emulators';

const test = base.extend<{ emu: Emulators }>({
  // eslint-disable-next-line no-empty-pattern
  emu: async ({}, use) => {
    const emu = await startEmulators();
    await use(emu);
    await emu.close();
  },
});

/** How many generations DynamoDB holds for a project. */
const itemCount = async (emu: Emulators, project: string): Promise<number> =>
  (
    await emu.dynamodb.send(
      new QueryCommand({
        TableName: emu.table,
        KeyConditionExpression: 'project_id = :p',
        ExpressionAttributeValues: { ':p': { S: project } },
      }),
    )
  ).Count ?? 0;

test('cloud history: Dream, clear the local library, restart, and the history comes back from S3 + DynamoDB, searchable', async ({
  studio,
  emu,
}) => {
  const { page, fake } = studio;
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await expect(dialog).toBeVisible();
  if ((await dialog.getByLabel('Model ID').count()) === 0)
    await dialog.getByRole('button', { name: 'Add model' }).click();
  await dialog.getByLabel('Model ID').first().fill('sdxl');
  await dialog.getByLabel('Endpoint name').first().fill('sdxl-cloud');
  await dialog.getByLabel('Store generated images').check();
  await dialog.getByLabel('Generations table').fill(emu.table);
  await dialog.getByLabel('Generations bucket').fill(emu.bucket);
  await dialog.getByLabel('Project ID').fill('e2e-team');
  await dialog.getByRole('button', { name: 'Advanced' }).click();
  await dialog.getByLabel('SageMaker Runtime endpoint URL').fill(fake.url);
  await dialog.getByLabel('S3 endpoint URL').fill(emu.s3Url);
  await dialog.getByLabel('DynamoDB endpoint URL').fill(emu.dynamodbUrl);
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();

  await page.getByLabel('Prompt', { exact: true }).fill('a harbour at dawn, watercolour');
  await page.getByLabel('Image count').fill('2');
  await page.getByRole('button', { name: 'Dream' }).click();
  await expect(page.getByTestId('generation').first().getByTestId('generation-image')).toHaveCount(2);

  // The upload runs in the background (retried with backoff): wait until DynamoDB has the item.
  await expect.poll(() => itemCount(emu, 'e2e-team'), { timeout: 30_000 }).toBe(1);

  rmSync(join(studio.dataDir, 'generations'), { recursive: true, force: true });
  rmSync(join(studio.dataDir, 'cloud-cache'), { recursive: true, force: true });
  await studio.restart();

  const again = studio.page.getByTestId('generation').first();
  await expect(again).toContainText('a harbour at dawn, watercolour');
  await expect(again.getByTestId('generation-image')).toHaveCount(2);
  for (const img of await again.getByTestId('generation-image').all()) {
    await expect.poll(() => img.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
  }

  // Search covers the cloud history, not only what this computer's library holds.
  const search = studio.page.getByRole('textbox', { name: 'Search prompts' });
  await search.fill('harbour watercolour');
  const found = studio.page.getByTestId('generation');
  await expect(found).toHaveCount(1);
  await expect(found.first()).toContainText('a harbour at dawn, watercolour');
  await search.fill('harbour zeppelin');
  await expect(studio.page.getByTestId('search-empty')).toBeVisible();
});

test('turning cloud storage on hides nothing: earlier generations say "This computer only" and upload on request', async ({
  studio,
  emu,
}) => {
  const { page } = studio;
  await configureModel(studio);
  await page.getByLabel('Prompt', { exact: true }).fill('made before the cloud');
  await page.getByLabel('Image count').fill('1');
  await page.getByRole('button', { name: 'Dream' }).click();
  const generation = page.getByTestId('generation').first();
  await expect(generation.getByTestId('generation-image')).toHaveCount(1);
  await expect(generation.getByTestId('sync-state')).toHaveCount(0);

  await page.getByRole('button', { name: 'App settings' }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await dialog.getByLabel('Store generated images').check();
  await dialog.getByLabel('Generations table').fill(emu.table);
  await dialog.getByLabel('Generations bucket').fill(emu.bucket);
  await dialog.getByLabel('Project ID').fill('e2e-turned-on');
  // Advanced stays open from the first set-up.
  if (!(await dialog.getByLabel('S3 endpoint URL').isVisible()))
    await dialog.getByRole('button', { name: 'Advanced' }).click();
  await dialog.getByLabel('S3 endpoint URL').fill(emu.s3Url);
  await dialog.getByLabel('DynamoDB endpoint URL').fill(emu.dynamodbUrl);
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();

  const again = page.getByTestId('generation').first();
  await expect(again).toContainText('made before the cloud');
  const state = again.getByTestId('sync-state');
  await expect(state).toHaveAttribute('data-state', 'local');
  await expect(state).toContainText('This computer only');
  await again.getByRole('button', { name: 'Upload to the cloud' }).click();
  await expect(state).toHaveAttribute('data-state', 'synced', { timeout: 30_000 });
  expect(await itemCount(emu, 'e2e-turned-on')).toBe(1);
});

import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import type { StudioApp } from './fixtures';

const settingsDialog = (page: Page): Locator => page.getByRole('dialog', { name: 'Settings' });

/** Runtime and control plane both to the test's fake SageMaker (Settings → Advanced). */
const pointAtFake = async (dialog: Locator, url: string): Promise<void> => {
  const advanced = dialog.getByRole('button', { name: 'Advanced' });
  if ((await advanced.getAttribute('aria-expanded')) !== 'true') await advanced.click();
  await dialog.getByLabel('SageMaker Runtime endpoint URL', { exact: true }).fill(url);
  await dialog.getByLabel('SageMaker endpoint URL', { exact: true }).fill(url);
};

const save = async (dialog: Locator): Promise<void> => {
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
};

/** One model typed by hand on the fake, saved. */
const configureModel = async ({ page, fake }: StudioApp): Promise<void> => {
  const dialog = settingsDialog(page);
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Add model' }).click();
  await dialog.getByLabel('Model ID').fill('sdxl');
  await dialog.getByLabel('Display name').fill('SDXL 1.0 (fake)');
  await dialog.getByLabel('Endpoint name').fill('sdxl-e2e');
  await pointAtFake(dialog, fake.url);
  await save(dialog);
};

const dream = async (page: Page, prompt: string, count: number): Promise<void> => {
  await page.getByLabel('Prompt', { exact: true }).fill(prompt);
  await page.getByLabel('Image count').fill(String(count));
  await page.getByRole('button', { name: 'Dream' }).click();
};

test('Discover lists the region’s endpoints; one click adds one, and it dreams', async ({ studio }, testInfo) => {
  const { page, fake } = studio;
  fake.setEndpoint('sdxl-prod', { status: 'InService', format: 'stability', creationTime: '2025-03-04T09:30:00Z' });
  fake.setEndpoint('sdxl-next', { status: 'Creating', format: 'stability' });
  const dialog = settingsDialog(page);
  await expect(dialog).toBeVisible();
  await pointAtFake(dialog, fake.url);

  await dialog.getByRole('button', { name: 'Discover' }).click();
  const found = dialog.getByTestId('discovered-endpoint');
  await expect(found).toHaveCount(2);
  const prod = found.filter({ hasText: 'sdxl-prod' });
  const next = found.filter({ hasText: 'sdxl-next' });
  await expect(prod.getByTestId('endpoint-status')).toHaveText('InService');
  await expect(prod.getByTestId('endpoint-status')).toHaveClass(/ss-badge--ok/);
  await expect(next.getByTestId('endpoint-status')).toHaveText('Creating');
  await expect(next.getByTestId('endpoint-status')).toHaveClass(/ss-badge--busy/);
  // Creation time, shown in local time.
  await expect(prod.locator('time')).toHaveAttribute('datetime', /^2025-03-04T09:30:00/);
  await expect(prod.locator('time')).toContainText('2025');
  await dialog.screenshot({ path: testInfo.outputPath('discover.png') });

  await dialog.getByRole('button', { name: 'Add sdxl-prod', exact: true }).click();
  await expect(prod).toContainText('Added');
  await expect(dialog.getByRole('button', { name: 'Add sdxl-prod', exact: true })).toHaveCount(0);
  const row = dialog.getByTestId('model-row');
  await expect(row).toHaveCount(1);
  await expect(row.getByLabel('Model ID')).toHaveValue('sdxl-prod');
  await expect(row.getByLabel('Display name')).toHaveValue('sdxl-prod');
  await expect(row.getByLabel('Endpoint name')).toHaveValue('sdxl-prod');
  await expect(row.getByLabel('Payload format')).toHaveValue('stability');
  await save(dialog);

  await dream(page, 'a harbour at dawn, watercolour', 2);
  const generation = page.getByTestId('generation').first();
  await expect(generation.getByTestId('generation-image')).toHaveCount(2);
  expect(fake.invocations.map((call) => call.endpoint)).toEqual(['sdxl-prod', 'sdxl-prod']);
});

test('Cancel mid-batch stops every call in flight', async ({ studio }) => {
  const { page, fake } = studio;
  await configureModel(studio);
  // Answers held far longer than the test: all four are in flight together however slow the machine.
  fake.setBehaviour({ latencyMs: 50_000 });

  await dream(page, 'a slow lighthouse', 4);
  const generation = page.getByTestId('generation').first();
  await expect(generation.getByTestId('image-placeholder')).toHaveCount(4);
  const inFlight = (): number => fake.invocations.filter((call) => call.status === undefined && !call.aborted).length;
  await fake.waitFor(() => inFlight() === 4, 30_000);
  // Elapsed time runs on the placeholders.
  await expect(generation.getByTestId('image-placeholder').first()).toContainText(/\d+\.\ds/);

  await page.getByRole('button', { name: 'Cancel', exact: true }).click();
  await expect(generation.getByTestId('generation-cancelled')).toBeVisible();
  await expect(generation.getByTestId('image-placeholder')).toHaveCount(0);
  await expect(generation.getByTestId('generation-image')).toHaveCount(0);
  await fake.waitFor(() => fake.invocations.filter((call) => call.aborted).length === 4, 30_000);
  expect(fake.aborted).toBeGreaterThanOrEqual(4);
  expect(fake.invocations).toHaveLength(4);
});

test('a throttled endpoint that recovers: the SDK retries and the image arrives', async ({ studio }) => {
  const { page, fake } = studio;
  await configureModel(studio);
  fake.setBehaviour({ failNext: ['ThrottlingException', 'ThrottlingException'] });

  await dream(page, 'a patient lighthouse', 1);
  const generation = page.getByTestId('generation').first();
  await expect(generation.getByTestId('generation-image')).toHaveCount(1);
  await expect(generation.getByTestId('generation-error')).toHaveCount(0);
  expect(fake.invocations).toHaveLength(3);
  expect(fake.invocations.map((call) => call.fault)).toEqual(['ThrottlingException', 'ThrottlingException', null]);
});

test('a ModelError shows the container’s message and where its log is', async ({ studio }) => {
  await configureModel(studio);
  studio.fake.setBehaviour({ failAlways: 'ModelError' });
  await dream(studio.page, 'this will fail', 1);
  const error = studio.page.getByTestId('generation').first().getByTestId('generation-error');
  await expect(error).toContainText(/returned an error/);
  await expect(error).toContainText(/CloudWatch/);
  await expect(error).toContainText('/aws/sagemaker/Endpoints/sdxl-e2e');
  expect(studio.fake.invocations).toHaveLength(1);
});

const twoModels = JSON.stringify([
  { modelId: 'sdxl-prod', modelName: 'SDXL prod', endpointName: 'sdxl-prod' },
  { modelId: 'sd21', modelName: 'SD 2.1 base', endpointName: 'jumpstart-sd21-base' },
]);

test('Paste JSON imports the browser plugin’s model list', async ({ studio }) => {
  const { page } = studio;
  const dialog = settingsDialog(page);
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Paste JSON' }).click();
  await dialog.getByLabel('Model list JSON').fill(twoModels);
  await dialog.getByRole('button', { name: 'Import' }).click();

  const rows = dialog.getByTestId('model-row');
  await expect(rows).toHaveCount(2);
  await expect(dialog.getByTestId('models-note')).toContainText('2 models added');
  await expect(dialog.getByLabel('Model list JSON')).toBeHidden();
  await expect(rows.nth(0).getByLabel('Display name')).toHaveValue('SDXL prod');
  await expect(rows.nth(0).getByLabel('Payload format')).toHaveValue('stability');
  await expect(rows.nth(1).getByLabel('Endpoint name')).toHaveValue('jumpstart-sd21-base');
  // No format given: guessed from the endpoint's name.
  await expect(rows.nth(1).getByLabel('Payload format')).toHaveValue('jumpstart-sd');

  // Again, as the plugin stores it (the list as a JSON string): merged by model ID.
  await dialog.getByRole('button', { name: 'Paste JSON' }).click();
  await dialog
    .getByLabel('Model list JSON')
    .fill(
      JSON.stringify(JSON.stringify([{ modelId: 'sdxl-prod', modelName: 'SDXL (prod)', endpointName: 'sdxl-prod' }])),
    );
  await dialog.getByRole('button', { name: 'Import' }).click();
  await expect(dialog.getByTestId('models-note')).toContainText('0 models added, 1 updated');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0).getByLabel('Display name')).toHaveValue('SDXL (prod)');
  await save(dialog);

  await expect(page.getByRole('combobox', { name: 'Model', exact: true }).locator('option')).toHaveText([
    'SDXL (prod)',
    'SD 2.1 base',
  ]);
});

test('an invalid JSON paste says what is wrong and changes nothing', async ({ studio }) => {
  const { page } = studio;
  const dialog = settingsDialog(page);
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Add model' }).click();
  await dialog.getByLabel('Model ID').fill('sdxl');
  await dialog.getByLabel('Endpoint name').fill('sdxl-e2e');

  await dialog.getByRole('button', { name: 'Paste JSON' }).click();
  const box = dialog.getByLabel('Model list JSON');
  const error = dialog.getByTestId('paste-error');
  const cases: Array<[string, RegExp]> = [
    ['[{"modelId": "x", ', /not valid JSON/],
    ['{"endpoints": ["a"]}', /Not a list of models/],
    ['[{"modelId": "x", "modelName": "X"}]', /Model 1: endpointName is missing/],
    ['[{"modelId": "x", "endpointName": "bad name!"}]', /Model 1: endpointName: Letters, digits and hyphens/],
  ];
  for (const [text, message] of cases) {
    await box.fill(text);
    await dialog.getByRole('button', { name: 'Import' }).click();
    await expect(error).toHaveRole('alert');
    await expect(error).toContainText(message);
    await expect(box).toHaveAttribute('aria-invalid', 'true');
  }

  const rows = dialog.getByTestId('model-row');
  await expect(rows).toHaveCount(1);
  await expect(rows.getByLabel('Model ID')).toHaveValue('sdxl');
  await expect(rows.getByLabel('Endpoint name')).toHaveValue('sdxl-e2e');
  await expect(dialog.getByTestId('models-note')).toHaveCount(0);
  // Typing again clears the message; the pasted text stays to be fixed.
  await box.fill('[]');
  await expect(error).toHaveCount(0);
});

test('the status pill opens Settings', async ({ studio }) => {
  const { page } = studio;
  await configureModel(studio);
  const pill = page.getByTestId('status');
  await expect(pill).toBeVisible();
  await pill.click();
  await expect(settingsDialog(page)).toBeVisible();
});

import { PutObjectCommand } from '@aws-sdk/client-s3';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { test as base, expect } from './fixtures';
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

const project = 'e2e-untrusted';

/** What a teammate (or anyone with access to the table) could have written. */
const plantItems = async (emu: Emulators): Promise<void> => {
  const legacy = crypto.randomUUID();
  const key = `${project}/${legacy}/${crypto.randomUUID()}.png`;
  await emu.s3.send(new PutObjectCommand({ Bucket: emu.bucket, Key: key, Body: '<html>not a picture</html>' }));
  const items: Array<Record<string, AttributeValue>> = [
    // The browser plugin's shape, readable, but its S3 object is not an image.
    {
      project_id: { S: project },
      generation_id: { S: legacy },
      s3_object_keys: { S: JSON.stringify([key]) },
      input_obj: { S: JSON.stringify({ prompts: [{ text: 'a legacy lighthouse', weight: 1 }] }) },
    },
    // A date that is a number, and a walk out of the data folder: each one unreadable row of the notice.
    {
      project_id: { S: project },
      generation_id: { S: '01JC0000000000000000000000' },
      created_at: { N: '12345' },
      s3_object_keys: { S: '[]' },
    },
    { project_id: { S: project }, generation_id: { S: '../generations' } },
  ];
  for (const Item of items) await emu.dynamodb.send(new PutItemCommand({ TableName: emu.table, Item }));
};

test('untrusted cloud items: the rest of the history shows, each bad item is named, and an S3 object that is not an image says so in place', async ({
  studio,
  emu,
}) => {
  const { page, fake } = studio;
  await plantItems(emu);
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await expect(dialog).toBeVisible();
  if ((await dialog.getByLabel('Model ID').count()) === 0)
    await dialog.getByRole('button', { name: 'Add model' }).click();
  await dialog.getByLabel('Model ID').first().fill('sdxl');
  await dialog.getByLabel('Endpoint name').first().fill('sdxl-untrusted');
  await dialog.getByLabel('Store generated images').check();
  await dialog.getByLabel('Generations table').fill(emu.table);
  await dialog.getByLabel('Generations bucket').fill(emu.bucket);
  await dialog.getByLabel('Project ID').fill(project);
  await dialog.getByRole('button', { name: 'Advanced' }).click();
  await dialog.getByLabel('SageMaker Runtime endpoint URL').fill(fake.url);
  await dialog.getByLabel('S3 endpoint URL').fill(emu.s3Url);
  await dialog.getByLabel('DynamoDB endpoint URL').fill(emu.dynamodbUrl);
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();

  const notice = page.getByTestId('history-notice');
  await expect(notice).toContainText('2 items of the cloud history could not be read');
  await expect(notice).toContainText(`${project}/../generations`);
  await expect(notice).not.toContainText('unreachable');

  const old = page.getByTestId('generation').filter({ hasText: 'a legacy lighthouse' });
  await expect(old).toHaveCount(1);
  await expect(old.getByTestId('image-problem')).toContainText('not an image');

  // A Dream still works and lands above the legacy item.
  await page.getByLabel('Prompt', { exact: true }).fill('a fresh harbour');
  await page.getByLabel('Image count').fill('1');
  await page.getByRole('button', { name: 'Dream', exact: true }).click();
  await expect(page.getByTestId('generation').first()).toContainText('a fresh harbour');
  await expect(page.getByTestId('generation').first().getByTestId('generation-image')).toHaveCount(1);
});

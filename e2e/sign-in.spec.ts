import { createRequire } from 'node:module';
import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { test as base, expect } from './fixtures';
import { startFakeCognito } from '../test/fakes/cognito-identity';
import type { FakeCognito } from '../test/fakes/cognito-identity';
import { CredentialRegistry, sharedCredentials } from '../test/fakes/keys';
import type { IssueOptions, TemporaryCredential } from '../test/fakes/keys';
import { startOidcProvider } from '../test/fakes/oidc-provider';
import type { FakeOidcProvider } from '../test/fakes/oidc-provider';
import { startEmulators } from '../test/support/emulators';
import type { Emulators } from '../test/support/emulators';

const identityPoolId = 'us-east-1:12345678-0000-4000-8000-00000000e2e0';
const clientId = 'studio_e2e_client';

/** s3rver's own account: it reads the signature's key ID but does not verify SigV4 signatures. */
const s3rverAccount = (
  createRequire(import.meta.url)('s3rver/lib/models/account.js') as {
    DUMMY_ACCOUNT: { createKeyPair(accessKeyId: string, secret: string): void };
  }
).DUMMY_ACCOUNT;

/**
 * Credentials the fake Cognito issues: known to the SageMaker fake (the shared registry) and, for
 * authenticated identities (no guest scope-down), to s3rver, as an authenticated role's S3 access.
 */
class IssuedEverywhere extends CredentialRegistry {
  override issueTemporary(options: IssueOptions = {}): TemporaryCredential {
    const issued = super.issueTemporary(options);
    sharedCredentials.register(issued);
    if (!options.allowedActions) s3rverAccount.createKeyPair(issued.accessKeyId, issued.secretAccessKey);
    return issued;
  }
}

interface Rig {
  emu: Emulators;
  cognito: FakeCognito;
  provider: FakeOidcProvider;
}

const test = base.extend<{ rig: Rig }>({
  rig: async ({ studio }, use) => {
    // The server's own callback route, on the port the app runs on, is what the app client allows.
    const port = new URL(studio.page.url()).port;
    const provider = await startOidcProvider({ clientId, redirectUris: [`http://localhost:${port}/auth/callback`] });
    const cognito = await startFakeCognito({
      credentials: new IssuedEverywhere(),
      identityPools: [
        {
          id: identityPoolId,
          allowUnauthenticated: false,
          openIdProviders: [
            {
              name: 'cognito-idp.us-east-1.amazonaws.com/us-east-1_TESTPOOL',
              issuer: provider.issuer,
              audience: clientId,
            },
          ],
        },
      ],
    });
    const emu = await startEmulators();
    await use({ emu, cognito, provider });
    await Promise.all([emu.close(), cognito.close(), provider.close()]);
  },
});

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

test('Sign in with Cognito: the provider’s login page, Dream into the user’s own cloud history, still signed in after a restart, Sign out refuses AWS calls', async ({
  studio,
  rig,
}) => {
  const { page, fake } = studio;
  const { emu, cognito, provider } = rig;
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await expect(dialog).toBeVisible();
  if ((await dialog.getByLabel('Model ID').count()) === 0)
    await dialog.getByRole('button', { name: 'Add model' }).click();
  await dialog.getByLabel('Model ID').first().fill('sdxl');
  await dialog.getByLabel('Endpoint name').first().fill('sdxl-signed-in');
  await dialog.getByLabel('Sign in with Cognito').check();
  await dialog.getByLabel('User pool ID').fill('us-east-1_TESTPOOL');
  await expect(dialog.getByText('Region us-east-1 (from the ID).')).toBeVisible();
  await dialog.getByLabel('App client ID').fill(clientId);
  await dialog.getByLabel('Identity Pool ID').fill(identityPoolId);
  await dialog.getByLabel('Remember me on this computer').check();
  await dialog.getByLabel('Store generated images').check();
  await dialog.getByLabel('Generations table').fill(emu.table);
  await dialog.getByLabel('Generations bucket').fill(emu.bucket);
  await dialog.getByRole('button', { name: 'Advanced' }).click();
  await dialog.getByLabel('SageMaker Runtime endpoint URL').fill(fake.url);
  await dialog.getByLabel('Cognito Identity endpoint URL').fill(cognito.url);
  await dialog.getByLabel('Cognito user pool issuer endpoint URL').fill(provider.issuer);
  await dialog.getByLabel('S3 endpoint URL').fill(emu.s3Url);
  await dialog.getByLabel('DynamoDB endpoint URL').fill(emu.dynamodbUrl);

  // Sign in saves the settings and opens the pool's sign-in page in a new tab.
  const opened = page.context().waitForEvent('page');
  await dialog.getByTestId('sign-in-panel').getByRole('button', { name: 'Sign in' }).click();
  const login = await opened;
  await login.getByPlaceholder('Enter any login').fill('dana');
  await login.locator('input[name="password"]').fill('any');
  await login.getByRole('button', { name: 'Sign-in' }).click();
  // The provider may ask to confirm the app's access (the managed login does not).
  const closeTab = login.getByText('You can close this tab');
  const confirm = login.getByRole('button', { name: 'Continue' });
  await expect(closeTab.or(confirm)).toBeVisible();
  if (await confirm.isVisible()) await confirm.click();
  await expect(closeTab).toBeVisible();
  await expect(login.getByText('Signed in as User dana.')).toBeVisible();
  await login.close();

  await expect(dialog.getByTestId('sign-in-panel')).toContainText('Signed in as User dana');
  await expect(dialog.getByTestId('callback-url')).toContainText(
    `http://localhost:${new URL(page.url()).port}/auth/callback`,
  );
  await expect(page.getByTestId('signed-in')).toContainText('User dana');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();

  await page.getByLabel('Prompt', { exact: true }).fill('a lighthouse in the fog');
  await page.getByLabel('Image count').fill('1');
  await page.getByRole('button', { name: 'Dream' }).click();
  await expect(page.getByTestId('generation').first().getByTestId('generation-image')).toHaveCount(1);

  // The generation reaches the cloud history under the user's identity: their own project.
  const identity = cognito.issued.at(-1)?.identityId ?? '';
  expect(cognito.identities.get(identity)?.authenticated).toBe(true);
  await expect.poll(() => itemCount(emu, identity), { timeout: 30_000 }).toBe(1);
  expect(await itemCount(emu, 'default')).toBe(0);

  // Remembered (a 0600 file in web mode): signed in again after a restart.
  await studio.restart();
  await expect(studio.page.getByTestId('signed-in')).toContainText('User dana');
  await expect(studio.page.getByTestId('generation').first()).toContainText('a lighthouse in the fog');

  await studio.page.getByTestId('signed-in').getByRole('button', { name: 'Sign out' }).click();
  await expect(studio.page.getByTestId('signed-in')).toHaveCount(0);
  await expect(studio.page.getByRole('button', { name: 'Sign in', exact: true })).toBeVisible();
  await studio.page.getByLabel('Prompt', { exact: true }).fill('after signing out');
  await studio.page.getByRole('button', { name: 'Dream' }).click();
  await expect(studio.page.getByText('You are signed out, so AWS cannot be reached.').first()).toBeVisible();
});

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { QueryCommand } from '@aws-sdk/client-dynamodb';
import type { Locator, Page } from '@playwright/test';
import { OidcClient } from '../src-main/core/auth/oidc';
import { test as base, expect } from './fixtures';
import type { StudioApp } from './fixtures';
import { startFakeCognito } from '../test/fakes/cognito-identity';
import type { FakeCognito } from '../test/fakes/cognito-identity';
import { IssuedEverywhere } from '../test/support/issued-everywhere';
import { startOidcProvider } from '../test/fakes/oidc-provider';
import type { FakeOidcProvider } from '../test/fakes/oidc-provider';
import { startEmulators } from '../test/support/emulators';
import type { Emulators } from '../test/support/emulators';

const identityPoolId = 'us-east-1:12345678-0000-4000-8000-00000000e2e0';
const clientId = 'studio_e2e_client';

interface Rig {
  emu: Emulators;
  cognito: FakeCognito;
  provider: FakeOidcProvider;
}

const test = base.extend<{ idTokenTtl: number; rig: Rig }>({
  /** How long the provider's ID tokens live, in seconds. */
  idTokenTtl: [3600, { option: true }],
  rig: async ({ studio, idTokenTtl }, use) => {
    // The server's own callback route, on the port the app runs on, is what the app client allows.
    const port = new URL(studio.page.url()).port;
    const provider = await startOidcProvider({
      clientId,
      redirectUris: [`http://localhost:${port}/auth/callback`],
      idTokenTtl,
    });
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

/** Settings → Credentials → Sign in with Cognito, with the rig's endpoints, then Sign in as dana on the provider's page. */
const signInAsDana = async (studio: StudioApp, { emu, cognito, provider }: Rig): Promise<Locator> => {
  const { page, fake } = studio;
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

  return dialog;
};

const dream = async (page: Page, prompt: string): Promise<void> => {
  await page.getByLabel('Prompt', { exact: true }).fill(prompt);
  await page.getByLabel('Image count').fill('1');
  await page.getByRole('button', { name: 'Dream' }).click();
};

/** Saving a changed setting builds new AWS clients, which ask for new credentials (and so for an ID token). */
const saveConcurrency = async (page: Page, concurrency: number): Promise<void> => {
  await page.getByRole('button', { name: 'App settings' }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await expect(dialog).toBeVisible();
  const advanced = dialog.getByRole('button', { name: 'Advanced' });
  if ((await advanced.getAttribute('aria-expanded')) !== 'true') await advanced.click();
  await dialog.getByLabel('Concurrency').fill(String(concurrency));
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
};

test('Sign in with Cognito: the provider’s login page, Dream into the user’s own cloud history, still signed in after a restart, Sign out refuses AWS calls', async ({
  studio,
  rig,
}) => {
  const { page } = studio;
  const { emu, cognito } = rig;
  const dialog = await signInAsDana(studio, rig);
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

  // Started while the pool cannot be reached: the sign-in is kept, not checked; the next Dream checks it and runs.
  rig.provider.reachable = false;
  try {
    await studio.restart();
    await expect(studio.page.getByTestId('sign-in-unchecked')).toHaveText('Sign-in not checked (offline)');
    await expect(studio.page.getByTestId('sign-in-unchecked')).toHaveAttribute('title', /could not be checked/);
  } finally {
    rig.provider.reachable = true;
  }
  await dream(studio.page, 'back online');
  await expect(
    studio.page.getByTestId('generation').filter({ hasText: 'back online' }).getByTestId('generation-image'),
  ).toHaveCount(1);
  await expect(studio.page.getByTestId('signed-in')).toContainText('User dana');

  await studio.page.getByTestId('signed-in').getByRole('button', { name: 'Sign out' }).click();
  await expect(studio.page.getByTestId('signed-in')).toHaveCount(0);
  await expect(studio.page.getByRole('button', { name: 'Sign in', exact: true })).toBeVisible();
  await studio.page.getByLabel('Prompt', { exact: true }).fill('after signing out');
  await studio.page.getByRole('button', { name: 'Dream' }).click();
  await expect(studio.page.getByText('You are signed out, so AWS cannot be reached.').first()).toBeVisible();
});

test.describe('an ID token that lives a minute', () => {
  // Within the app's refresh margin (5 minutes): each new set of credentials refreshes the ID token first.
  test.use({ idTokenTtl: 60 });

  test('Sign in with Cognito: the ID token is refreshed silently; a revoked sign-in asks to sign in again and loses nothing', async ({
    studio,
    rig,
  }) => {
    const { page } = studio;
    const { emu, cognito, provider } = rig;
    const dialog = await signInAsDana(studio, rig);
    await expect(page.getByTestId('signed-in')).toContainText('User dana');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(dialog).toBeHidden();
    const generation = (prompt: string): Locator => page.getByTestId('generation').filter({ hasText: prompt });

    await dream(page, 'a lighthouse in the fog');
    await expect(generation('a lighthouse in the fog').getByTestId('generation-image')).toHaveCount(1);
    const identity = cognito.issued.at(-1)?.identityId ?? '';
    expect(cognito.identities.get(identity)?.authenticated).toBe(true);
    const before = provider.refreshes;

    // New clients ask for new credentials: the ID token is refreshed on the way, without a sign-in page.
    await saveConcurrency(page, 3);
    await dream(page, 'a harbour at dawn');
    await expect(generation('a harbour at dawn').getByTestId('generation-image')).toHaveCount(1);
    expect(provider.refreshes).toBeGreaterThan(before);
    expect(cognito.issued.at(-1)?.identityId).toBe(identity);
    await expect(page.getByTestId('signed-in')).toContainText('User dana');
    expect(page.context().pages()).toHaveLength(1);
    await expect.poll(() => itemCount(emu, identity), { timeout: 30_000 }).toBe(2);

    // The remembered refresh token is revoked elsewhere (an administrator, a sign-out on another computer).
    const tokenFile = join(studio.dataDir, 'sign-in.token');
    const redirectUri = `http://localhost:${new URL(page.url()).port}/auth/callback`;
    await new OidcClient({ issuer: provider.issuer, clientId, redirectUri }).revoke(readFileSync(tokenFile, 'utf8'));
    await saveConcurrency(page, 2);
    await dream(page, 'after the revocation');
    const signIn = page.getByRole('button', { name: 'Sign in', exact: true });
    await expect(signIn).toBeVisible();
    await expect(page.getByTestId('signed-in')).toHaveCount(0);
    await expect(signIn).toHaveAttribute(
      'title',
      'Your sign-in has expired or was revoked. Sign in again: nothing is lost, uploads wait until you do.',
    );
    // Whichever call met the revocation first (the Dream or the check after saving), the Dream says what happened.
    await expect(generation('after the revocation').getByRole('alert')).toContainText(
      /^Your sign-in has expired or was revoked\. Sign in again: nothing is lost/,
    );
    expect(existsSync(tokenFile)).toBe(false);

    // Nothing generated before is lost.
    await expect(generation('a lighthouse in the fog').getByTestId('generation-image')).toHaveCount(1);
    await expect(generation('a harbour at dawn').getByTestId('generation-image')).toHaveCount(1);

    // Settings says what happened, with Sign in at hand.
    await page.getByRole('button', { name: 'App settings' }).click();
    const panel = page.getByRole('dialog', { name: 'Settings' }).getByTestId('sign-in-panel');
    await expect(panel.getByRole('status')).toHaveText('Not signed in.');
    await expect(panel.getByTestId('sign-in-error')).toHaveText(
      'Your sign-in has expired or was revoked. Sign in again: nothing is lost, uploads wait until you do.',
    );
    await expect(panel.getByRole('button', { name: 'Sign in' })).toBeEnabled();
    expect(await itemCount(emu, identity)).toBe(2);
  });
});

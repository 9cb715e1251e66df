import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { Settings } from '../../../src-shared/settings';
import type { SignInLink } from '../auth/service';
import { loginProviderOf } from '../auth/service';
import { StudioError } from '../errors';
import type { StateStore } from '../state-store';

/** The region part of a Cognito Identity Pool ID (`region:GUID`). */
export const poolRegion = (identityPoolId: string): string => identityPoolId.split(':')[0] ?? '';

/** Same key the SDK's Cognito provider uses, so both flows share one persisted identity per pool. */
export const identityKey = (identityPoolId: string): string =>
  `aws:cognito-identity-credentials:${identityPoolId}:ANONYMOUS`;

const errorName = (e: unknown): string =>
  typeof e === 'object' && e !== null && 'name' in e && typeof e.name === 'string' ? e.name : '';

/**
 * The SDK's Cognito provider keeps the identity ID only in memory under Node, and drops it
 * on any error (a network blip would start a new identity, and a new default project).
 * This cache persists it, and forgets it only when Cognito says the identity is gone.
 */
const persistentIdentityCache = (state: StateStore) => ({
  getItem: (key: string): string | null => state.get(key) ?? null,
  setItem: (key: string, value: string): void => state.set(key, value),
  removeItem: (): void => undefined,
});

const forgetIdentityWhenGone =
  (provider: AwsCredentialIdentityProvider, state: StateStore, poolId: string): AwsCredentialIdentityProvider =>
  async (props) => {
    try {
      return await provider(props);
    } catch (error) {
      if (errorName(error) === 'ResourceNotFoundException') state.delete(identityKey(poolId));
      throw error;
    }
  };

/** Basic (classic) flow: GetId → GetOpenIdToken → STS AssumeRoleWithWebIdentity on the guest role. */
const classicFlow = async (settings: Settings, state: StateStore): Promise<AwsCredentialIdentityProvider> => {
  const [{ CognitoIdentityClient, GetIdCommand, GetOpenIdTokenCommand }, { fromWebToken }] = await Promise.all([
    import('@aws-sdk/client-cognito-identity'),
    import('@aws-sdk/credential-providers'),
  ]);
  const poolId = settings.identityPoolId;
  const cognitoEndpoint = settings.endpointOverrides.cognitoIdentity;
  const stsEndpoint = settings.endpointOverrides.sts;
  const client = new CognitoIdentityClient({
    region: poolRegion(poolId),
    ...(cognitoEndpoint ? { endpoint: cognitoEndpoint } : {}),
  });
  return async (): Promise<AwsCredentialIdentity> => {
    let identityId = state.get(identityKey(poolId));
    if (!identityId) {
      identityId = (await client.send(new GetIdCommand({ IdentityPoolId: poolId }))).IdentityId;
      if (!identityId) throw new Error('Cognito returned no identity ID');
      state.set(identityKey(poolId), identityId);
    }
    const { Token } = await client.send(new GetOpenIdTokenCommand({ IdentityId: identityId }));
    if (!Token) throw new Error('Cognito returned no OpenID token');
    return fromWebToken({
      roleArn: settings.cognitoRoleArn,
      webIdentityToken: Token,
      roleSessionName: 'stablestudio-desktop',
      clientConfig: { region: settings.region, ...(stsEndpoint ? { endpoint: stsEndpoint } : {}) },
    })();
  };
};

/**
 * Builds the credential provider for the current settings. Credentials never
 * leave the main process; SDK clients cache and refresh them. The SDK's providers are
 * imported when credentials are first asked for, not at start-up.
 */
export const createCredentialProvider = (
  settings: Settings,
  state: StateStore,
  signIn?: SignInLink,
): AwsCredentialIdentityProvider => {
  let provider: Promise<AwsCredentialIdentityProvider> | undefined;
  return async (props) => {
    if (settings.credentialsMode === 'signIn') return signedInCredentials(settings, state, signIn);
    const loading = (provider ??= buildProvider(settings, state));
    // A provider that could not be loaded is tried again on the next call.
    loading.catch(() => (provider = undefined));
    return (await loading)(props);
  };
};

const buildProvider = async (settings: Settings, state: StateStore): Promise<AwsCredentialIdentityProvider> => {
  const { fromCognitoIdentityPool, fromIni } = await import('@aws-sdk/credential-providers');
  if (settings.credentialsMode === 'cognito') {
    const poolId = settings.identityPoolId;
    if (settings.cognitoClassicFlow) return forgetIdentityWhenGone(await classicFlow(settings, state), state, poolId);
    const cognitoEndpoint = settings.endpointOverrides.cognitoIdentity;
    const provider = fromCognitoIdentityPool({
      identityPoolId: poolId,
      cache: persistentIdentityCache(state),
      clientConfig: {
        region: poolRegion(poolId),
        ...(cognitoEndpoint ? { endpoint: cognitoEndpoint } : {}),
      },
    });
    return forgetIdentityWhenGone(provider, state, poolId);
  }
  // fromIni follows SSO, assume-role and credential_process profiles through the SDK's own providers.
  const stsEndpoint = settings.endpointOverrides.sts;
  return fromIni({
    profile: settings.profile,
    ignoreCache: true,
    clientConfig: { region: settings.region, ...(stsEndpoint ? { endpoint: stsEndpoint } : {}) },
  });
};

/** Same key the SDK's provider uses with `userIdentifier`: one identity per user and pool, kept across restarts. */
export const userIdentityKey = (identityPoolId: string, sub: string): string =>
  `aws:cognito-identity-credentials:${identityPoolId}:${sub}`;

/**
 * Sign in with Cognito: authenticated credentials from the Identity Pool's enhanced flow, the ID
 * token as the login of the user pool (`Logins {"cognito-idp.<region>.amazonaws.com/<poolId>":
 * idToken}`), asked for each time so that a refreshed token is used. Not signed in: refused.
 */
const signedInCredentials = async (
  settings: Settings,
  state: StateStore,
  signIn: SignInLink | undefined,
): Promise<AwsCredentialIdentity> => {
  // Lost (expired, revoked) rather than signed out: the sign-in says so itself.
  const user = await signIn?.signedInUser();
  if (!signIn || !user) {
    throw new StudioError(
      'auth.expired',
      'You are signed out, so AWS cannot be reached.',
      'Sign in (Settings → Credentials → Sign in with Cognito): nothing is lost, uploads wait until you do.',
    );
  }
  const { fromCognitoIdentityPool } = await import('@aws-sdk/credential-providers');
  const poolId = settings.identityPoolId;
  const cognitoEndpoint = settings.endpointOverrides.cognitoIdentity;
  const provider = fromCognitoIdentityPool({
    identityPoolId: poolId,
    logins: { [loginProviderOf(settings)]: () => signIn.idToken() },
    userIdentifier: user.sub,
    cache: persistentIdentityCache(state),
    clientConfig: { region: poolRegion(poolId), ...(cognitoEndpoint ? { endpoint: cognitoEndpoint } : {}) },
  });
  try {
    return await provider();
  } catch (error) {
    if (errorName(error) === 'ResourceNotFoundException') state.delete(userIdentityKey(poolId, user.sub));
    throw error;
  }
};

/** The persisted Cognito identity ID for the current pool (and, signed in, the current user), if one was issued. */
export const currentIdentityId = (settings: Settings, state: StateStore, signIn?: SignInLink): string | undefined => {
  if (settings.credentialsMode === 'cognito') return state.get(identityKey(settings.identityPoolId));
  const sub = settings.credentialsMode === 'signIn' ? signIn?.user()?.sub : undefined;
  return sub ? state.get(userIdentityKey(settings.identityPoolId, sub)) : undefined;
};

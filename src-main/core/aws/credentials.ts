import { fromCognitoIdentityPool, fromIni } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import type { Settings } from '../../../src-shared/settings';

/** The region part of a Cognito Identity Pool ID (`region:GUID`). */
export const poolRegion = (identityPoolId: string): string => identityPoolId.split(':')[0] ?? '';

/**
 * Builds the credential provider for the current settings. Credentials never
 * leave the main process; SDK clients cache and refresh them.
 */
export const createCredentialProvider = (settings: Settings): AwsCredentialIdentityProvider => {
  if (settings.credentialsMode === 'cognito') {
    const cognitoEndpoint = settings.endpointOverrides.cognitoIdentity;
    return fromCognitoIdentityPool({
      identityPoolId: settings.identityPoolId,
      clientConfig: {
        region: poolRegion(settings.identityPoolId),
        ...(cognitoEndpoint ? { endpoint: cognitoEndpoint } : {}),
      },
    });
  }
  // fromIni follows SSO, assume-role and credential_process profiles through the SDK's own providers.
  return fromIni({ profile: settings.profile, ignoreCache: true, clientConfig: { region: settings.region } });
};

import { CONFIG_PREFIX_SEPARATOR, getHomeDir, loadSharedConfigFiles } from '@smithy/shared-ini-file-loader';
import { join } from 'node:path';
import type { ProfileInfo, ProfileKind, ProfileList } from '../../../src-shared/aws';

type Section = Record<string, string | undefined>;

const kindOf = (config: Section | undefined, credentials: Section | undefined): ProfileKind => {
  const c = { ...credentials, ...config };
  if (c.sso_session || c.sso_start_url) return 'sso';
  if (c.role_arn) return 'assume-role';
  if (c.credential_process) return 'process';
  if (c.aws_access_key_id) return 'static';
  return 'other';
};

/**
 * The profiles in the user's AWS config and credentials files (AWS_CONFIG_FILE and
 * AWS_SHARED_CREDENTIALS_FILE respected), read fresh every time.
 */
export const listProfiles = async (): Promise<ProfileList> => {
  const { configFile, credentialsFile } = await loadSharedConfigFiles({ ignoreCache: true });
  // The loader keeps [sso-session x] and [services x] sections as `sso-session.x`: those are not profiles.
  const isOtherSection = (name: string): boolean =>
    ['sso-session', 'services'].some((prefix) => name.startsWith(`${prefix}${CONFIG_PREFIX_SEPARATOR}`));
  const names = new Set(
    [...Object.keys(configFile), ...Object.keys(credentialsFile)].filter((n) => !isOtherSection(n)),
  );
  const profiles: ProfileInfo[] = [...names].sort().map((name) => {
    const region = configFile[name]?.region;
    const info: ProfileInfo = { name, kind: kindOf(configFile[name], credentialsFile[name]) };
    if (region) info.region = region;
    return info;
  });
  const home = getHomeDir();
  return {
    profiles,
    configFile: process.env.AWS_CONFIG_FILE ?? join(home, '.aws', 'config'),
    credentialsFile: process.env.AWS_SHARED_CREDENTIALS_FILE ?? join(home, '.aws', 'credentials'),
  };
};

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ProfileKeys {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/**
 * Writes a throw-away AWS credentials + config pair and returns the environment
 * variables that point the SDK's providers at them (nothing touches ~/.aws).
 */
export const writeAwsProfiles = (
  profiles: Record<string, ProfileKeys>,
  region = 'us-east-1',
): { AWS_SHARED_CREDENTIALS_FILE: string; AWS_CONFIG_FILE: string } => {
  const dir = mkdtempSync(join(tmpdir(), 'studio-aws-'));
  const credentials = Object.entries(profiles)
    .map(
      ([name, k]) =>
        `[${name}]\naws_access_key_id = ${k.accessKeyId}\naws_secret_access_key = ${k.secretAccessKey}\n` +
        (k.sessionToken ? `aws_session_token = ${k.sessionToken}\n` : ''),
    )
    .join('\n');
  const config = Object.keys(profiles)
    .map((name) => `[${name === 'default' ? 'default' : `profile ${name}`}]\nregion = ${region}\n`)
    .join('\n');
  const env = {
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
    AWS_CONFIG_FILE: join(dir, 'config'),
  };
  writeFileSync(env.AWS_SHARED_CREDENTIALS_FILE, credentials);
  writeFileSync(env.AWS_CONFIG_FILE, config);
  return env;
};

/** Points this process's SDK providers at the given profiles, with no other AWS variables leaking in. */
export const useAwsProfiles = (profiles: Record<string, ProfileKeys>): void => {
  const env = writeAwsProfiles(profiles);
  for (const key of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_REGION']) {
    delete process.env[key];
  }
  Object.assign(process.env, env);
};

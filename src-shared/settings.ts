import { z } from 'zod';
import { payloadFormats } from './formats';
import { projectIdSchema } from './ids';
import { isKnownRegion } from './regions';

export { payloadFormats } from './formats';
export type { PayloadFormat } from './formats';

// SageMaker endpoint names: 1–63 alphanumerics and hyphens, no leading/trailing hyphen.
const endpointNamePattern = /^[a-zA-Z0-9](-*[a-zA-Z0-9])*$/;
const roleArnPattern = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;
// Cognito Identity Pool IDs are `region:GUID`.
const identityPoolIdPattern =
  /^([a-z]{2}(?:-gov)?-[a-z]+-\d):[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
// Cognito User Pool IDs are `region_ID`; app client IDs are word characters (and +), at most 128.
const userPoolIdPattern = /^([a-z]{2}(?:-gov)?-[a-z]+-\d)_[0-9a-zA-Z]+$/;
const clientIdPattern = /^[\w+]+$/;
// A managed login domain: a host name (`prefix.auth.<region>.amazoncognito.com`, or a custom domain).
const domainPattern = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$/i;

/** The region of a user pool ID (`us-east-1_AbC123` → `us-east-1`), or undefined when it is not one. */
export const userPoolRegion = (userPoolId: string): string | undefined => userPoolIdPattern.exec(userPoolId)?.[1];

/** The managed login domain as a host name: `https://` and a trailing slash dropped. */
export const userPoolDomainHost = (domain: string): string =>
  domain
    .trim()
    .replace(/^https:\/\//i, '')
    .replace(/\/+$/, '');

/**
 * How long each text setting may be. Where AWS has a limit, it is AWS's (endpoint names 63,
 * Identity Pool IDs 55, ARNs and URLs 2048, bucket names 63, table names 255); the rest are
 * generous for what they hold and keep the settings file small.
 */
export const settingsLimits = {
  models: 100,
  modelId: 128,
  modelName: 100,
  profile: 128,
  identityPoolId: 55,
  userPoolId: 55,
  clientId: 128,
  domain: 253,
  roleArn: 2048,
  url: 2048,
} as const;

const lineBreakOrControl = /\p{Cc}/u;

/** A one-line text: trimmed, at most `max` characters, no line breaks or control characters. */
const line = (label: string, max: number) =>
  z
    .string()
    .trim()
    .max(max, `${label} is at most ${max} characters`)
    .refine((v) => !lineBreakOrControl.test(v), `${label} must be one line, without control characters`);

/** S3's rules for general purpose bucket names; undefined when `name` follows them. */
export const bucketNameProblem = (name: string): string | undefined => {
  if (name.length < 3 || name.length > 63) return 'Bucket names are 3 to 63 characters long';
  if (!/^[a-z0-9.-]+$/.test(name)) return 'Bucket names hold only lowercase letters, digits, dots and hyphens';
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) return 'Bucket names begin and end with a letter or digit';
  if (name.includes('..')) return 'Bucket names have no two dots in a row';
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) return 'Bucket names must not look like an IP address';
  const prefix = reservedBucketPrefixes.find((p) => name.startsWith(p));
  if (prefix) return `Bucket names must not begin with "${prefix}" (reserved by S3)`;
  const suffix = reservedBucketSuffixes.find((s) => name.endsWith(s));
  if (suffix) return `Bucket names must not end with "${suffix}" (reserved by S3)`;
  return undefined;
};
const reservedBucketPrefixes = ['xn--', 'sthree-', 'amzn-s3-demo-'];
const reservedBucketSuffixes = ['-s3alias', '--ol-s3', '.mrap', '--x-s3'];

/** DynamoDB's rules for table names; undefined when `name` follows them. */
export const tableNameProblem = (name: string): string | undefined => {
  if (name.length < 3 || name.length > 255) return 'Table names are 3 to 255 characters long';
  if (!/^[a-zA-Z0-9_.-]+$/.test(name)) return 'Table names hold only letters, digits, underscores, dots and hyphens';
  return undefined;
};

/** Empty, or a name `problem` has nothing against. */
const optionalName = (problem: (name: string) => string | undefined) =>
  z
    .string()
    .trim()
    .superRefine((value, ctx) => {
      const message = value === '' ? undefined : problem(value);
      if (message) ctx.addIssue({ code: 'custom', message });
    });

/** The input limit of a model whose settings say none (saved before there was one). */
export const defaultInputLimitPx = 512;

export const modelConfigSchema = z.object({
  modelId: line('Model ID', settingsLimits.modelId).min(1, 'Model ID is required'),
  modelName: line('Display name', settingsLimits.modelName).default(''),
  endpointName: z
    .string()
    .trim()
    .min(1, 'Endpoint name is required')
    .max(63, 'Endpoint names are at most 63 characters')
    .regex(endpointNamePattern, 'Letters, digits and hyphens only, not starting or ending with a hyphen'),
  format: z.enum(payloadFormats).default('stability'),
  /**
   * The longest side, in pixels, of an image the model takes in one request. An upscaler cuts
   * larger images into overlapping tiles no larger than this.
   */
  inputLimit: z
    .number({ error: 'Input limit must be a number of pixels' })
    .int('Input limit is a whole number of pixels')
    .min(64, 'Input limit is at least 64 px')
    .max(2048, 'Input limit is at most 2048 px')
    .default(defaultInputLimitPx),
});
export type ModelConfig = z.output<typeof modelConfigSchema>;

const optionalUrl = z
  .string()
  .trim()
  .max(settingsLimits.url, `URLs are at most ${settingsLimits.url} characters`)
  .refine((v) => v === '' || /^https?:\/\/[^\s/]+/.test(v), 'Must be an http(s) URL, or empty')
  .default('');

export const endpointOverridesSchema = z.object({
  sagemakerRuntime: optionalUrl,
  sagemaker: optionalUrl,
  cognitoIdentity: optionalUrl,
  /** A user pool's issuer (sign-in): its discovery document is read from `<issuer>/.well-known/openid-configuration`. */
  userPoolIssuer: optionalUrl,
  sts: optionalUrl,
  s3: optionalUrl,
  dynamodb: optionalUrl,
});
export type EndpointOverrides = z.output<typeof endpointOverridesSchema>;
export type AwsService = keyof EndpointOverrides;

export const credentialsModes = ['profile', 'cognito', 'signIn'] as const;
export type CredentialsMode = (typeof credentialsModes)[number];

/** Each setting's own rule, without defaults; the two schemas below add defaults or make them optional. */
const fields = {
  /** The browser plugin's "model configuration". */
  models: z
    .array(modelConfigSchema)
    .max(settingsLimits.models, `At most ${settingsLimits.models} models`)
    .superRefine((models, ctx) => {
      const seen = new Map<string, number>();
      models.forEach((m, i) => {
        const first = seen.get(m.modelId);
        if (first !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: [i, 'modelId'],
            message: `Duplicate model ID (also used by row ${first + 1})`,
          });
        } else seen.set(m.modelId, i);
      });
    }),
  region: z.string().trim().refine(isKnownRegion, 'Unknown AWS region'),
  credentialsMode: z.enum(credentialsModes),
  profile: line('Profile name', settingsLimits.profile),
  identityPoolId: z
    .string()
    .trim()
    .max(settingsLimits.identityPoolId, `Identity Pool IDs are at most ${settingsLimits.identityPoolId} characters`),
  /**
   * Cognito basic (classic) flow: GetId → GetOpenIdToken → STS AssumeRoleWithWebIdentity with this role.
   * Needed when the guest role must reach S3/DynamoDB: enhanced-flow guest sessions are scoped down by AWS.
   */
  cognitoClassicFlow: z.boolean(),
  cognitoRoleArn: z
    .string()
    .trim()
    .max(settingsLimits.roleArn, `Role ARNs are at most ${settingsLimits.roleArn} characters`),
  /** The browser plugin's "store generated images" switch: cloud history in S3 + DynamoDB. */
  /** Sign in with Cognito: the user pool, its app client and its managed login domain. */
  userPoolId: z
    .string()
    .trim()
    .max(settingsLimits.userPoolId, `User pool IDs are at most ${settingsLimits.userPoolId} characters`),
  userPoolClientId: z
    .string()
    .trim()
    .max(settingsLimits.clientId, `App client IDs are at most ${settingsLimits.clientId} characters`),
  userPoolDomain: z
    .string()
    .trim()
    .max(settingsLimits.domain + 9, `Domains are at most ${settingsLimits.domain} characters`),
  /** Keep the sign-in across restarts (the system's keychain on the desktop, a 0600 file in web mode). */
  rememberSignIn: z.boolean(),
  /** The desktop app's loopback callback port (`http://localhost:<port>/auth/callback`), when its scheme is not registered. */
  signInLoopbackPort: z.number().int().min(1024, 'Ports from 1024 to 65535').max(65535, 'Ports from 1024 to 65535'),
  storeGeneratedImages: z.boolean(),
  generationsTable: optionalName(tableNameProblem),
  generationsBucket: optionalName(bucketNameProblem),
  /** Empty: the default project (the Cognito identity, or `default`). */
  projectId: optionalName((id) => projectIdSchema.safeParse(id).error?.issues[0]?.message),
  endpointOverrides: endpointOverridesSchema,
  /** Parallel InvokeEndpoint calls per endpoint. */
  concurrency: z.number().int().min(1).max(16),
};

/** Sign in with Cognito: a user pool ID with a known region, an app client ID, a domain when given. */
const checkSignIn = (s: z.output<z.ZodObject<typeof fields>>, ctx: z.RefinementCtx): void => {
  const region = userPoolRegion(s.userPoolId);
  if (region === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['userPoolId'],
      message: 'User pool ID looks like us-east-1_AbCdEf123 (Cognito console → User pools)',
    });
  } else if (!isKnownRegion(region)) {
    ctx.addIssue({ code: 'custom', path: ['userPoolId'], message: `Unknown region "${region}" in the user pool ID` });
  }
  if (!clientIdPattern.test(s.userPoolClientId)) {
    ctx.addIssue({
      code: 'custom',
      path: ['userPoolClientId'],
      message:
        s.userPoolClientId === ''
          ? 'App client ID is required (the user pool → App clients)'
          : 'App client IDs hold only letters, digits, underscores and +',
    });
  }
  const domain = userPoolDomainHost(s.userPoolDomain);
  if (domain !== '' && !domainPattern.test(domain)) {
    ctx.addIssue({
      code: 'custom',
      path: ['userPoolDomain'],
      message: 'A domain looks like my-studio.auth.us-east-1.amazoncognito.com (the pool → Domain)',
    });
  }
};

/** Rules between settings, checked on the whole (stored, or a patch merged over them). */
const checkTogether = (s: z.output<z.ZodObject<typeof fields>>, ctx: z.RefinementCtx): void => {
  if (s.credentialsMode === 'cognito' || s.credentialsMode === 'signIn') {
    const match = identityPoolIdPattern.exec(s.identityPoolId);
    if (!match) {
      ctx.addIssue({
        code: 'custom',
        path: ['identityPoolId'],
        message: 'Identity Pool ID looks like us-east-1:xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx',
      });
    } else if (!isKnownRegion(match[1] ?? '')) {
      ctx.addIssue({
        code: 'custom',
        path: ['identityPoolId'],
        message: `Unknown region "${match[1]}" in the Identity Pool ID`,
      });
    }
  }
  if (s.credentialsMode === 'cognito' && s.cognitoClassicFlow && !roleArnPattern.test(s.cognitoRoleArn)) {
    ctx.addIssue({
      code: 'custom',
      path: ['cognitoRoleArn'],
      message: 'The classic flow needs the guest role ARN, like arn:aws:iam::123456789012:role/NAME',
    });
  }
  if (s.credentialsMode === 'signIn') checkSignIn(s, ctx);
  if (s.credentialsMode === 'profile' && s.profile === '') {
    ctx.addIssue({ code: 'custom', path: ['profile'], message: 'Profile name is required' });
  }
  if (s.storeGeneratedImages) {
    if (s.generationsBucket === '')
      ctx.addIssue({ code: 'custom', path: ['generationsBucket'], message: 'Bucket is required for cloud storage' });
    if (s.generationsTable === '')
      ctx.addIssue({ code: 'custom', path: ['generationsTable'], message: 'Table is required for cloud storage' });
  }
};

/** The whole settings: every field present after parsing (missing ones take their defaults). */
export const settingsSchema = z
  .object({
    models: fields.models.default([]),
    region: fields.region.default('us-east-1'),
    credentialsMode: fields.credentialsMode.default('profile'),
    profile: fields.profile.default('default'),
    identityPoolId: fields.identityPoolId.default(''),
    cognitoClassicFlow: fields.cognitoClassicFlow.default(false),
    cognitoRoleArn: fields.cognitoRoleArn.default(''),
    userPoolId: fields.userPoolId.default(''),
    userPoolClientId: fields.userPoolClientId.default(''),
    userPoolDomain: fields.userPoolDomain.default(''),
    rememberSignIn: fields.rememberSignIn.default(false),
    signInLoopbackPort: fields.signInLoopbackPort.default(47615),
    storeGeneratedImages: fields.storeGeneratedImages.default(false),
    generationsTable: fields.generationsTable.default(''),
    generationsBucket: fields.generationsBucket.default(''),
    projectId: fields.projectId.default(''),
    endpointOverrides: fields.endpointOverrides.default(() => endpointOverridesSchema.parse({})),
    concurrency: fields.concurrency.default(4),
  })
  .superRefine(checkTogether);

/**
 * What `saveSettings` takes: some of the settings. A key that is absent keeps its stored value
 * (no defaults here); a key given replaces the stored value whole (`models` is the whole list,
 * `endpointOverrides` every override, a service left out meaning none). Unknown keys are refused.
 * The core merges the patch over the stored settings and checks the result as a whole.
 */
export const settingsPatchSchema = z.strictObject(
  {
    models: fields.models.optional(),
    region: fields.region.optional(),
    credentialsMode: fields.credentialsMode.optional(),
    profile: fields.profile.optional(),
    identityPoolId: fields.identityPoolId.optional(),
    cognitoClassicFlow: fields.cognitoClassicFlow.optional(),
    cognitoRoleArn: fields.cognitoRoleArn.optional(),
    userPoolId: fields.userPoolId.optional(),
    userPoolClientId: fields.userPoolClientId.optional(),
    userPoolDomain: fields.userPoolDomain.optional(),
    rememberSignIn: fields.rememberSignIn.optional(),
    signInLoopbackPort: fields.signInLoopbackPort.optional(),
    storeGeneratedImages: fields.storeGeneratedImages.optional(),
    generationsTable: fields.generationsTable.optional(),
    generationsBucket: fields.generationsBucket.optional(),
    projectId: fields.projectId.optional(),
    endpointOverrides: fields.endpointOverrides.optional(),
    concurrency: fields.concurrency.optional(),
  },
  { error: (issue) => (issue.code === 'unrecognized_keys' ? 'Not a setting of this app' : undefined) },
);

/** Settings as stored and returned (every field present). */
export type Settings = z.output<typeof settingsSchema>;
/** Settings as a caller may send them (defaults filled in). */
export type SettingsInput = z.input<typeof settingsSchema>;
/** What `saveSettings` takes: the settings to change. */
export type SettingsPatch = z.input<typeof settingsPatchSchema>;
export type SettingKey = keyof Settings;

export const defaultSettings = (): Settings => settingsSchema.parse({});

/**
 * zod issues → `{ 'models.0.endpointName': 'message' }`, first message per field. An unknown
 * key is reported at its own path (`{ colour: 'Not a setting of this app' }`).
 */
export const fieldErrors = (error: z.ZodError): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const paths = issue.code === 'unrecognized_keys' ? issue.keys.map((key) => [...issue.path, key]) : [issue.path];
    for (const path of paths) out[path.map(String).join('.') || '_'] ??= issue.message;
  }
  return out;
};

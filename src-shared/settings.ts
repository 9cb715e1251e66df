import { z } from 'zod';
import { payloadFormats } from './formats';
import { isKnownRegion } from './regions';

export { payloadFormats } from './formats';
export type { PayloadFormat } from './formats';

// SageMaker endpoint names: 1–63 alphanumerics and hyphens, no leading/trailing hyphen.
const endpointNamePattern = /^[a-zA-Z0-9](-*[a-zA-Z0-9])*$/;
// Cognito Identity Pool IDs are `region:GUID`.
const roleArnPattern = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/;
const identityPoolIdPattern =
  /^([a-z]{2}(?:-gov)?-[a-z]+-\d):[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const modelConfigSchema = z.object({
  modelId: z.string().trim().min(1, 'Model ID is required'),
  modelName: z.string().trim().default(''),
  endpointName: z
    .string()
    .trim()
    .min(1, 'Endpoint name is required')
    .max(63, 'Endpoint names are at most 63 characters')
    .regex(endpointNamePattern, 'Letters, digits and hyphens only, not starting or ending with a hyphen'),
  format: z.enum(payloadFormats).default('stability'),
});
export type ModelConfig = z.output<typeof modelConfigSchema>;

const optionalUrl = z
  .string()
  .trim()
  .refine((v) => v === '' || /^https?:\/\/[^\s/]+/.test(v), 'Must be an http(s) URL, or empty')
  .default('');

export const endpointOverridesSchema = z.object({
  sagemakerRuntime: optionalUrl,
  sagemaker: optionalUrl,
  cognitoIdentity: optionalUrl,
  sts: optionalUrl,
  s3: optionalUrl,
  dynamodb: optionalUrl,
});
export type EndpointOverrides = z.output<typeof endpointOverridesSchema>;
export type AwsService = keyof EndpointOverrides;

export const credentialsModes = ['profile', 'cognito'] as const;
export type CredentialsMode = (typeof credentialsModes)[number];

export const settingsSchema = z
  .object({
    /** The browser plugin's "model configuration". */
    models: z.array(modelConfigSchema).default([]),
    region: z.string().trim().refine(isKnownRegion, 'Unknown AWS region').default('us-east-1'),
    credentialsMode: z.enum(credentialsModes).default('profile'),
    profile: z.string().trim().default('default'),
    identityPoolId: z.string().trim().default(''),
    /**
     * Cognito basic (classic) flow: GetId → GetOpenIdToken → STS AssumeRoleWithWebIdentity with this role.
     * Needed when the guest role must reach S3/DynamoDB: enhanced-flow guest sessions are scoped down by AWS.
     */
    cognitoClassicFlow: z.boolean().default(false),
    cognitoRoleArn: z.string().trim().default(''),
    /** The browser plugin's "store generated images" switch: cloud history in S3 + DynamoDB. */
    storeGeneratedImages: z.boolean().default(false),
    generationsTable: z.string().trim().default(''),
    generationsBucket: z.string().trim().default(''),
    projectId: z.string().trim().default(''),
    endpointOverrides: endpointOverridesSchema.default(() => endpointOverridesSchema.parse({})),
    /** Parallel InvokeEndpoint calls per endpoint. */
    concurrency: z.number().int().min(1).max(16).default(4),
  })
  .superRefine((s, ctx) => {
    const seen = new Map<string, number>();
    s.models.forEach((m, i) => {
      const first = seen.get(m.modelId);
      if (first !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['models', i, 'modelId'],
          message: `Duplicate model ID (also used by row ${first + 1})`,
        });
      } else seen.set(m.modelId, i);
    });
    if (s.credentialsMode === 'cognito') {
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
    if (s.credentialsMode === 'profile' && s.profile === '') {
      ctx.addIssue({ code: 'custom', path: ['profile'], message: 'Profile name is required' });
    }
    if (s.storeGeneratedImages) {
      if (s.generationsBucket === '')
        ctx.addIssue({ code: 'custom', path: ['generationsBucket'], message: 'Bucket is required for cloud storage' });
      if (s.generationsTable === '')
        ctx.addIssue({ code: 'custom', path: ['generationsTable'], message: 'Table is required for cloud storage' });
    }
  });

/** Settings as stored and returned (every field present). */
export type Settings = z.output<typeof settingsSchema>;
/** Settings as a caller may send them (defaults filled in). */
export type SettingsInput = z.input<typeof settingsSchema>;

export const defaultSettings = (): Settings => settingsSchema.parse({});

/** zod issues → `{ 'models.0.endpointName': 'message' }`, first message per field. */
export const fieldErrors = (error: z.ZodError): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join('.') || '_';
    out[key] ??= issue.message;
  }
  return out;
};

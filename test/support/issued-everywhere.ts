import { createRequire } from 'node:module';
import { CredentialRegistry, sharedCredentials } from '../fakes/keys';
import type { IssueOptions, TemporaryCredential } from '../fakes/keys';

/** s3rver's own account: it reads the signature's key ID but does not verify SigV4 signatures. */
const s3rverAccount = (
  createRequire(import.meta.url)('s3rver/lib/models/account.js') as {
    DUMMY_ACCOUNT: { createKeyPair(accessKeyId: string, secret: string): void };
  }
).DUMMY_ACCOUNT;

/**
 * Credentials the fake Cognito issues, known to the SageMaker fake (the shared registry) and, for
 * authenticated identities only (no guest scope-down), to s3rver: as an authenticated role that may
 * use the history's bucket, and a guest role that may not.
 */
export class IssuedEverywhere extends CredentialRegistry {
  override issueTemporary(options: IssueOptions = {}): TemporaryCredential {
    const issued = super.issueTemporary(options);
    sharedCredentials.register(issued);
    if (!options.allowedActions) s3rverAccount.createKeyPair(issued.accessKeyId, issued.secretAccessKey);
    return issued;
  }
}

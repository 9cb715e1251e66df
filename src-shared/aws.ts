import type { ErrorCode } from './errors';

/** How a profile in the user's AWS files gets its credentials. */
export type ProfileKind = 'static' | 'sso' | 'assume-role' | 'process' | 'other';

export interface ProfileInfo {
  name: string;
  /** The profile's region from the config file, the default region when chosen. */
  region?: string;
  kind: ProfileKind;
}

export interface ProfileList {
  profiles: ProfileInfo[];
  configFile: string;
  credentialsFile: string;
}

export interface EndpointSummary {
  name: string;
  /** InService | Creating | Updating | SystemUpdating | RollingBack | OutOfService | Deleting | Failed | UpdateRollbackFailed */
  status: string;
  createdAt: string;
  modifiedAt?: string;
}

export interface ConnectionCheck {
  /** `credentials`, or `endpoint:<name>`. */
  target: string;
  label: string;
  ok: boolean;
  status?: string;
  message: string;
  hint?: string;
  /** A check that could not get its answer: the error behind the message (unreachable, denied, expired…). */
  code?: ErrorCode;
}

export interface ConnectionReport {
  ok: boolean;
  checks: ConnectionCheck[];
}

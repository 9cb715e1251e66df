import type { ConnectionCheck, ConnectionReport } from '../../../src-shared/aws';
import type { AppError } from '../../../src-shared/errors';
import type { StatusReport } from '../../../src-shared/generation';
import type { Settings } from '../../../src-shared/settings';
import type { InvokeOutcome, InvokeOutcomes } from './invoke-outcomes';

/** A connection report and when its checks started (epoch ms). */
export interface CheckedReport {
  at: number;
  report: ConnectionReport;
}

/** Which check, against which service, in words the pill can lead with. */
export const checkName = (check: ConnectionCheck, s: Settings): string => {
  if (check.target === 'credentials')
    return `Credentials check (${s.credentialsMode === 'profile' ? 'STS' : 'Cognito Identity'})`;
  if (check.target === 'signIn' || check.target === 'signInClient') return `Sign-in (${check.label})`;
  if (check.target.startsWith('endpoint:'))
    return `Endpoint status of ${check.target.slice('endpoint:'.length)} (SageMaker API)`;
  if (check.target === 'bucket') return `${check.label} (S3)`;
  if (check.target === 'table') return `${check.label} (DynamoDB)`;
  return check.label;
};

/**
 * A failed check that did get its answer: the endpoint's own status (Creating, Failed, missing…)
 * or credentials that AWS refused. The others (the service could not be reached, access to it
 * was denied, it was busy) say nothing about the endpoint.
 */
const definitive = (check: ConnectionCheck): boolean =>
  (check.status !== undefined && check.status !== 'unchecked') ||
  check.code?.startsWith('aws.credentials.') === true ||
  check.code?.startsWith('auth.') === true ||
  check.code === 'sagemaker.endpoint_not_found';

type Problem = { name: string; message: string; hint?: string; error: boolean };

const fromCheck = (check: ConnectionCheck, s: Settings): Problem => ({
  name: checkName(check, s),
  message: check.message,
  ...(check.hint ? { hint: check.hint } : {}),
  error: check.target === 'credentials' || check.target.startsWith('signIn'),
});

const fromDream = (endpointName: string, error: AppError): Problem => ({
  name: `Endpoint ${endpointName} (last Dream)`,
  message: error.message,
  ...(error.hint ? { hint: error.hint } : {}),
  error: error.code.startsWith('aws.credentials.'),
});

/**
 * One endpoint's health from two witnesses: the control-plane check (`check`, made at `checkedAt`;
 * the credentials check stands in when the endpoints were not checked) and the last Dream on it.
 * A successful Dream wins over any check that could not get its answer, and over an older one
 * that did; otherwise the newer witness wins.
 */
const endpointProblem = (
  endpointName: string,
  s: Settings,
  check: ConnectionCheck | undefined,
  checkedAt: number,
  dream: InvokeOutcome | undefined,
): Problem | undefined => {
  const checkProblem = check && !check.ok ? fromCheck(check, s) : undefined;
  if (!dream) return checkProblem;
  if (dream.ok) return check && !check.ok && definitive(check) && checkedAt > dream.at ? checkProblem : undefined;
  const dreamProblem = fromDream(endpointName, dream.error ?? { code: 'internal', message: 'The last Dream failed.' });
  return !check || dream.at >= checkedAt ? dreamProblem : checkProblem;
};

/** The top bar's status pill: the cached connection report merged with what the Dreams since have shown. */
export const statusPill = (s: Settings, checked: CheckedReport, dreams: InvokeOutcomes): StatusReport => {
  const { at, report } = checked;
  const credentials = report.checks.find((c) => c.target === 'credentials');
  const problems: Problem[] = [];
  for (const name of new Set(s.models.map((m) => m.endpointName))) {
    const check =
      report.checks.find((c) => c.target === `endpoint:${name}`) ?? (credentials?.ok ? undefined : credentials);
    const problem = endpointProblem(name, s, check, at, dreams.get(s, name));
    // The credentials check may stand for several endpoints: say it once.
    if (problem && !problems.some((p) => p.name === problem.name)) problems.push(problem);
  }
  for (const check of report.checks) {
    if (!check.ok && (check.target === 'bucket' || check.target === 'table')) problems.push(fromCheck(check, s));
  }
  const errors = problems.filter((p) => p.error);
  if (errors.length > 0)
    return {
      indicator: 'error',
      text: errors.map((p) => `${p.name}: ${p.message}${p.hint ? ` ${p.hint}` : ''}`).join(' · '),
    };
  if (problems.length > 0)
    return { indicator: 'warning', text: problems.map((p) => `${p.name}: ${p.message}`).join(' · ') };
  return { indicator: 'success', text: `${s.models.length} model(s) ready in ${s.region}` };
};

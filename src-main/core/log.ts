import type { StudioEvent } from '../../src-shared/generation';

export type LogLevel = 'info' | 'warn' | 'error';

/** Where log lines go: stdout/stderr in web mode and tests, a rotating file in the desktop app. */
export type LogSink = (level: LogLevel, line: string) => void;

const consoleSink: LogSink = (level, line) => {
  if (level === 'info') console.log(line);
  else if (level === 'warn') console.warn(line);
  else console.error(line);
};

let sink: LogSink = consoleSink;
const recent: string[] = [];
/** How many warnings and errors Copy Diagnostics can include. */
export const recentLimit = 50;

/** Sends the core's log lines to `next` (the desktop app's file); returns the previous sink. */
export const setLogSink = (next: LogSink): LogSink => {
  const previous = sink;
  sink = next;
  return previous;
};

const patterns: Array<[RegExp, string]> = [
  // Access key IDs (long-term AKIA…, temporary ASIA…, and the other IAM unique-ID prefixes).
  [/\b(AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|A3T[A-Z0-9])[A-Z0-9]{16}\b/g, '$1…(redacted)'],
  // Presigned-URL and header credentials.
  [/(X-Amz-(?:Signature|Credential|Security-Token)=)[^&\s"']+/gi, '$1(redacted)'],
  [/(Authorization:?\s*)(AWS4-HMAC-SHA256|Bearer|Basic)\s+[^\n"']+/gi, '$1$2 (redacted)'],
  [/(x-amz-security-token:?\s*)[^\s"']+/gi, '$1(redacted)'],
  // key = value / "key": "value" for secrets and tokens (credentials files, SDK objects, OAuth answers).
  [
    /(["']?(?<![\w-])(?:aws_secret_access_key|aws_session_token|secretAccessKey|sessionToken|SecretKey|SessionToken|SecretAccessKey|idToken|id_token|accessToken|access_token|refreshToken|refresh_token|Token)\b["']?\s*[:=]\s*)(["']?)(?!\(redacted\))[^"'\s,}]+\2/g,
    '$1$2(redacted)$2',
  ],
  // User name and password in URLs.
  [/(\bhttps?:\/\/)[^/\s:@]+:[^/\s@]+@/gi, '$1(redacted)@'],
];

/** `text` with keys, secrets, tokens, signatures and URL passwords replaced by "(redacted)". */
export const redact = (text: string): string => patterns.reduce((t, [re, to]) => t.replace(re, to), text);

const describe = (detail: unknown): string => {
  if (detail instanceof Error) {
    const meta = (detail as { $metadata?: { httpStatusCode?: number; requestId?: string } }).$metadata;
    const extra = meta
      ? ` (HTTP ${meta.httpStatusCode ?? '?'}${meta.requestId ? `, request ${meta.requestId}` : ''})`
      : '';
    return `${detail.name}: ${detail.message}${extra}`;
  }
  if (typeof detail === 'string') return detail;
  try {
    return JSON.stringify(detail)?.slice(0, 2000) ?? String(detail);
  } catch {
    return String(detail);
  }
};

const write = (level: LogLevel, message: string, detail?: unknown): void => {
  const line = redact(detail === undefined ? message : `${message}: ${describe(detail)}`);
  if (level !== 'info') {
    recent.push(`${new Date().toISOString()} ${level.toUpperCase()} ${line}`);
    if (recent.length > recentLimit) recent.splice(0, recent.length - recentLimit);
  }
  try {
    sink(level, line);
  } catch {
    // A log that cannot be written never stops the work it describes.
  }
};

/** The core's one logger: every line is redacted before it goes anywhere. */
export const log = {
  info: (message: string, detail?: unknown): void => write('info', message, detail),
  warn: (message: string, detail?: unknown): void => write('warn', message, detail),
  error: (message: string, detail?: unknown): void => write('error', message, detail),
};

/** The last warnings and errors, oldest first (Help → Copy Diagnostics). */
export const recentProblems = (): string[] => [...recent];

/** What a progress event says for the log: failures and cloud sync, not every image. */
export const logEvent = (event: StudioEvent): void => {
  if (event.type === 'image.failed') {
    const { index, error } = event.failure;
    log.warn(`Generation ${event.generationId}: image ${index + 1} failed (${error.code}): ${error.message}`);
  } else if (event.type === 'sync.changed') {
    const { state, reason, attempts } = event.sync;
    const line = `Sync ${event.generationId}: ${state}${reason ? ` (${reason})` : ''}${attempts ? `, attempt ${attempts}` : ''}`;
    // Waiting with a reason is a failed attempt (offline, denied, throttled).
    if (state === 'pending' && reason) log.warn(line);
    else log.info(line);
  } else if (event.type === 'generation.done') {
    log.info(
      `Generation ${event.generationId}: ${event.generation.status}, ${event.generation.images.length} image(s)`,
    );
  }
};

import type { Settings } from '../../src-shared/settings';

export interface DiagnosticsInput {
  productName: string;
  appVersion: string;
  versions: NodeJS.ProcessVersions;
  os: { platform: string; release: string; arch: string };
  settings: Settings;
  /** The log's last warnings and errors (already redacted). */
  problems: string[];
}

/** A URL with any user name and password removed (an endpoint override could carry them). */
const withoutUserInfo = (url: string): string => {
  try {
    const u = new URL(url);
    if (!u.username && !u.password) return url;
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return url;
  }
};

/**
 * What Help → Copy Diagnostics puts on the clipboard: versions, the OS, the settings and the
 * log's last warnings and errors. The
 * settings hold no keys (credentials come from the AWS profile or Cognito); endpoint URLs lose
 * any user name and password they carry.
 */
export const diagnosticsText = (d: DiagnosticsInput): string => {
  const overrides = Object.fromEntries(
    Object.entries(d.settings.endpointOverrides).map(([k, v]) => [k, typeof v === 'string' ? withoutUserInfo(v) : v]),
  );
  const settings = { ...d.settings, endpointOverrides: overrides };
  return [
    `${d.productName} ${d.appVersion}`,
    `Electron ${d.versions.electron ?? '-'}, Chromium ${d.versions.chrome ?? '-'}, Node ${d.versions.node}`,
    `OS: ${d.os.platform} ${d.os.release} (${d.os.arch})`,
    '',
    'Settings:',
    JSON.stringify(settings, null, 2),
    '',
    `Last warnings and errors (${d.problems.length}):`,
    ...(d.problems.length > 0 ? d.problems : ['(none)']),
  ].join('\n');
};

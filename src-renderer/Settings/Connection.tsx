import type { ReactElement } from 'react';
import { StatusBadge } from './Discover';
import { useSettingsStore } from './store';

/** The result of "Test connection": one line per check. */
export const ConnectionReportView = (): ReactElement | null => {
  const connection = useSettingsStore((s) => s.connection);
  if (connection.state === 'failed') {
    return (
      <div className="ss-settings-error" role="alert" data-testid="connection-report">
        <p>
          {connection.error.message}
          {connection.error.hint ? <span className="ss-settings-error__hint"> {connection.error.hint}</span> : null}
        </p>
      </div>
    );
  }
  if (connection.state !== 'done') return null;
  const report = connection.value;
  return (
    // The live region wraps the list: a list's role stays a list, so its items stay list items.
    <div role={report.ok ? 'status' : 'alert'} aria-label="Connection test" data-testid="connection-report">
      <ul className={`ss-report${report.ok ? '' : ' ss-report--bad'}`}>
        {report.checks.map((check) => (
          <li
            key={check.target}
            className={check.ok ? 'ss-report__ok' : 'ss-report__bad'}
            data-testid="connection-check"
            data-ok={check.ok}
          >
            <span className="ss-report__mark" aria-hidden="true">
              {check.ok ? '✓' : '✕'}
            </span>
            <span className="visually-hidden">{check.ok ? 'Passed:' : 'Failed:'}</span>
            <span className="ss-report__label">{check.label}</span>
            {check.status ? <StatusBadge status={check.status} testId="check-status" /> : null}
            <span className="ss-report__message">
              {check.message}
              {check.hint ? <span className="ss-settings-error__hint"> {check.hint}</span> : null}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
};

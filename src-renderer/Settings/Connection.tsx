import type { ReactElement } from 'react';
import { addModel, discoverEndpoints, useSettingsStore } from './store';

const statusClass = (status: string): string =>
  status === 'InService'
    ? 'ss-pill--ok'
    : status === 'Failed' || status === 'OutOfService'
      ? 'ss-pill--bad'
      : 'ss-pill--busy';

/** Lists the region's endpoints with the dialog's credentials; one click adds one as a model. */
export const EndpointFinder = (): ReactElement => {
  const endpoints = useSettingsStore((s) => s.endpoints);
  const models = useSettingsStore((s) => s.draft.models);
  const used = new Set(models.map((m) => m.endpointName));
  return (
    <div className="ss-finder">
      <button
        type="button"
        className="ss-button ss-button--ghost"
        disabled={endpoints.state === 'loading'}
        onClick={() => void discoverEndpoints()}
      >
        {endpoints.state === 'loading' ? 'Looking…' : 'Find endpoints'}
      </button>
      {endpoints.state === 'failed' ? (
        <p className="ss-field-error" role="alert" data-testid="endpoints-error">
          {endpoints.error.message}
          {endpoints.error.hint ? ` ${endpoints.error.hint}` : ''}
        </p>
      ) : null}
      {endpoints.state === 'done' ? (
        endpoints.value.length === 0 ? (
          <p className="ss-finder__empty" role="status">
            No endpoint in this region.
          </p>
        ) : (
          <ul className="ss-finder__list" aria-label="Endpoints found">
            {endpoints.value.map((endpoint) => (
              <li key={endpoint.name} className="ss-finder__item">
                <span className="ss-finder__name">{endpoint.name}</span>
                <span className={`ss-pill ${statusClass(endpoint.status)}`}>{endpoint.status}</span>
                <button
                  type="button"
                  className="ss-button ss-button--ghost"
                  disabled={used.has(endpoint.name)}
                  aria-label={`Add ${endpoint.name}`}
                  onClick={() =>
                    addModel({
                      modelId: endpoint.name,
                      modelName: '',
                      endpointName: endpoint.name,
                      format: 'stability',
                    })
                  }
                >
                  {used.has(endpoint.name) ? 'Added' : 'Add'}
                </button>
              </li>
            ))}
          </ul>
        )
      ) : null}
    </div>
  );
};

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
    <ul
      className={`ss-report${report.ok ? '' : ' ss-report--bad'}`}
      role={report.ok ? 'status' : 'alert'}
      aria-label="Connection test"
      data-testid="connection-report"
    >
      {report.checks.map((check) => (
        <li key={check.target} className={check.ok ? 'ss-report__ok' : 'ss-report__bad'}>
          <span className="ss-report__mark" aria-hidden="true">
            {check.ok ? '✓' : '✕'}
          </span>
          <span className="ss-report__label">{check.label}</span>
          {check.status ? <span className="ss-pill">{check.status}</span> : null}
          <span className="ss-report__message">
            {check.message}
            {check.hint ? <span className="ss-settings-error__hint"> {check.hint}</span> : null}
          </span>
        </li>
      ))}
    </ul>
  );
};

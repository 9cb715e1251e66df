import type { ReactElement } from 'react';
import type { EndpointSummary } from '../../src-shared/aws';
import { CheckIcon, CloseIcon, PlusIcon } from '../Icon';
import { addEndpointModel, hideEndpoints, useSettingsStore } from './store';

type Tone = 'ok' | 'busy' | 'bad' | 'unknown';

const busy = new Set(['Creating', 'Updating', 'SystemUpdating', 'RollingBack', 'Deleting']);
const bad = new Set(['Failed', 'OutOfService', 'UpdateRollbackFailed', 'missing']);

/** SageMaker's endpoint states by what they mean for the user: usable, on its way, broken. */
const toneOf = (status: string): Tone => {
  if (status === 'InService') return 'ok';
  if (bad.has(status)) return 'bad';
  return busy.has(status) ? 'busy' : 'unknown';
};

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

const createdText = (iso: string): string => {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
};

/** An endpoint's status with a coloured dot: green in service, amber changing, red broken. */
export const StatusBadge = ({
  status,
  testId = 'endpoint-status',
}: {
  status: string;
  testId?: string;
}): ReactElement => (
  <span className={`ss-badge ss-badge--${toneOf(status)}`} data-testid={testId}>
    <span className="ss-badge__dot" aria-hidden="true" />
    {status}
  </span>
);

const EndpointRow = ({ endpoint, added }: { endpoint: EndpointSummary; added: boolean }): ReactElement => (
  <li className="ss-endpoint" data-testid="discovered-endpoint">
    <span className="ss-endpoint__name" title={endpoint.name}>
      {endpoint.name}
    </span>
    <StatusBadge status={endpoint.status} />
    <time className="ss-endpoint__time" dateTime={endpoint.createdAt} title="Created">
      {createdText(endpoint.createdAt)}
    </time>
    {added ? (
      <span className="ss-endpoint__added">
        <CheckIcon size={14} />
        Added
      </span>
    ) : (
      <button
        type="button"
        className="ss-button ss-button--small"
        aria-label={`Add ${endpoint.name}`}
        onClick={() => addEndpointModel(endpoint.name)}
      >
        <PlusIcon size={13} />
        Add
      </button>
    )}
  </li>
);

/** The region's endpoints, as Discover found them with the dialog's credentials. */
export const DiscoverPanel = (): ReactElement | null => {
  const endpoints = useSettingsStore((s) => s.endpoints);
  const region = useSettingsStore((s) => s.draft.region);
  const models = useSettingsStore((s) => s.draft.models);
  if (endpoints.state === 'idle') return null;
  const used = new Set(models.map((m) => m.endpointName));
  return (
    <section className="ss-panel" aria-label="Discovered endpoints" data-testid="discover-panel">
      <header className="ss-panel__header">
        <span className="ss-panel__title">
          {endpoints.state === 'done'
            ? `${endpoints.value.length} endpoint${endpoints.value.length === 1 ? '' : 's'} in ${region}`
            : `Endpoints in ${region}`}
        </span>
        <button type="button" className="ss-icon-button" aria-label="Hide endpoints" onClick={hideEndpoints}>
          <CloseIcon size={14} />
        </button>
      </header>
      {endpoints.state === 'loading' ? (
        <div className="ss-panel__status" role="status">
          <span className="ss-spinner" aria-hidden="true" />
          Listing the endpoints…
        </div>
      ) : null}
      {endpoints.state === 'failed' ? (
        <p className="ss-panel__error" role="alert" data-testid="endpoints-error">
          {endpoints.error.message}
          {endpoints.error.hint ? <span className="ss-settings-error__hint"> {endpoints.error.hint}</span> : null}
        </p>
      ) : null}
      {endpoints.state === 'done' && endpoints.value.length === 0 ? (
        <p className="ss-panel__status" role="status">
          No SageMaker endpoint in {region}. Check the region, or deploy SDXL from SageMaker JumpStart first.
        </p>
      ) : null}
      {endpoints.state === 'done' && endpoints.value.length > 0 ? (
        <ul className="ss-endpoints" aria-label={`Endpoints in ${region}`}>
          <li className="ss-endpoint ss-endpoint--head" aria-hidden="true">
            <span>Endpoint</span>
            <span>Status</span>
            <span>Created</span>
            <span />
          </li>
          {endpoints.value.map((endpoint) => (
            <EndpointRow key={endpoint.name} endpoint={endpoint} added={used.has(endpoint.name)} />
          ))}
        </ul>
      ) : null}
    </section>
  );
};

import { useEffect, useRef } from 'react';
import type { ReactElement } from 'react';
import { useModal } from '../Modal';
import { formatInfo, payloadFormats } from '../../src-shared/formats';
import type { PayloadFormat } from '../../src-shared/formats';
import { defaultInputLimitPx, endpointOverridesSchema } from '../../src-shared/settings';
import type { AwsService } from '../../src-shared/settings';
import { AlertIcon, ChevronIcon, ClipboardIcon, CloseIcon, PlusIcon, SearchIcon, TrashIcon } from '../Icon';
import { ConnectionReportView } from './Connection';
import { Credentials } from './Credentials';
import { DiscoverPanel } from './Discover';
import { PastePanel } from './PasteModels';
import { Field, FieldError, TextSetting, useFieldError } from './fields';
import {
  addModel,
  closeSettings,
  discoverEndpoints,
  removeModel,
  testConnection,
  togglePaste,
  saveSettings,
  toggleAdvanced,
  updateDraft,
  updateModel,
  updateOverride,
  useSettingsStore,
} from './store';

const services = Object.keys(endpointOverridesSchema.shape) as AwsService[];

const serviceNames: Record<AwsService, string> = {
  sagemakerRuntime: 'SageMaker Runtime',
  sagemaker: 'SageMaker',
  cognitoIdentity: 'Cognito Identity',
  userPoolIssuer: 'Cognito user pool issuer',
  sts: 'STS',
  s3: 'S3',
  dynamodb: 'DynamoDB',
};

const isPayloadFormat = (value: string): value is PayloadFormat =>
  (payloadFormats as readonly string[]).includes(value);

/** Paths that have a control on screen; other messages are listed at the bottom. */
const shownPaths = (modelCount: number, mode: string): Set<string> =>
  new Set([
    'credentialsMode',
    'region',
    ...(mode === 'cognito'
      ? ['identityPoolId', 'cognitoClassicFlow', 'cognitoRoleArn']
      : mode === 'signIn'
        ? ['identityPoolId', 'userPoolId', 'userPoolClientId', 'userPoolDomain', 'rememberSignIn']
        : ['profile']),
    'storeGeneratedImages',
    'generationsTable',
    'generationsBucket',
    'projectId',
    'concurrency',
    'signInLoopbackPort',
    ...services.map((s) => `endpointOverrides.${s}`),
    ...Array.from({ length: modelCount }, (_, i) =>
      ['modelId', 'modelName', 'endpointName', 'format', 'inputLimit'].map((f) => `models.${i}.${f}`),
    ).flat(),
  ]);

const ModelCell = ({
  index,
  field,
  label,
  placeholder,
  autoFocus,
}: {
  index: number;
  field: 'modelId' | 'modelName' | 'endpointName';
  label: string;
  placeholder: string;
  autoFocus?: boolean;
}): ReactElement => {
  const value = useSettingsStore((s) => s.draft.models[index]?.[field] ?? '');
  const { message, errorId, control } = useFieldError(`models.${index}.${field}`);
  return (
    <td>
      <input
        {...control}
        className="ss-input"
        type="text"
        aria-label={label}
        placeholder={placeholder}
        autoComplete="off"
        spellCheck={false}
        autoFocus={autoFocus}
        value={value}
        onChange={(e) => updateModel(index, { [field]: e.target.value })}
      />
      <FieldError id={errorId} {...(message ? { message } : {})} />
    </td>
  );
};

const FormatCell = ({ index }: { index: number }): ReactElement => {
  const value = useSettingsStore((s) => s.draft.models[index]?.format ?? 'stability');
  const { message, errorId, control } = useFieldError(`models.${index}.format`);
  return (
    <td>
      <select
        {...control}
        className="ss-select"
        aria-label="Payload format"
        value={value}
        onChange={(e) => {
          if (isPayloadFormat(e.target.value)) updateModel(index, { format: e.target.value });
        }}
      >
        {payloadFormats.map((f) => (
          <option key={f} value={f} title={formatInfo[f].description}>
            {formatInfo[f].label}
          </option>
        ))}
      </select>
      <FieldError id={errorId} {...(message ? { message } : {})} />
    </td>
  );
};

/** The longest side the model takes in one request; an upscaler tiles larger images. */
const InputLimitCell = ({ index }: { index: number }): ReactElement => {
  const value = useSettingsStore((s) => s.draft.models[index]?.inputLimit ?? defaultInputLimitPx);
  const { message, errorId, control } = useFieldError(`models.${index}.inputLimit`);
  return (
    <td>
      <input
        {...control}
        className="ss-input ss-models__limit"
        type="number"
        inputMode="numeric"
        min={64}
        max={2048}
        step={8}
        aria-label="Input limit (px)"
        title="The longest side, in pixels, of an image the model takes at once. Upscalers cut larger images into overlapping tiles this size."
        value={Number.isNaN(value) ? '' : value}
        onChange={(e) =>
          updateModel(index, { inputLimit: e.target.value === '' ? Number.NaN : Number(e.target.value) })
        }
      />
      <FieldError id={errorId} {...(message ? { message } : {})} />
    </td>
  );
};

const Models = (): ReactElement => {
  const rowKeys = useSettingsStore((s) => s.rowKeys);
  const focusRow = useSettingsStore((s) => s.focusRow);
  return (
    <fieldset className="ss-settings-section">
      <legend className="ss-settings-section__title">Models</legend>
      <p className="ss-settings-section__lead">
        Each model is a SageMaker real-time endpoint: SDXL (JumpStart or Stability&apos;s model package) for Dream and
        edits, or an SD 2 inpainting or x4 upscaler model; its format says which.
      </p>
      {rowKeys.length > 0 ? (
        <table className="ss-models">
          <thead>
            <tr>
              <th scope="col">Model ID</th>
              <th scope="col">Display name</th>
              <th scope="col">Endpoint name</th>
              <th scope="col">Format</th>
              <th scope="col" title="Longest side of an image the model takes at once; upscalers tile larger images">
                Input limit (px)
              </th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rowKeys.map((key, index) => (
              <tr key={key} data-testid="model-row">
                <ModelCell
                  index={index}
                  field="modelId"
                  label="Model ID"
                  placeholder="sdxl-1-0"
                  autoFocus={key === focusRow}
                />
                <ModelCell index={index} field="modelName" label="Display name" placeholder="SDXL 1.0" />
                <ModelCell index={index} field="endpointName" label="Endpoint name" placeholder="my-sdxl-endpoint" />
                <FormatCell index={index} />
                <InputLimitCell index={index} />
                <td className="ss-models__actions">
                  <button
                    type="button"
                    className="ss-button ss-button--ghost ss-button--danger"
                    onClick={() => removeModel(index)}
                  >
                    <TrashIcon size={14} />
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="ss-models__empty">No model yet.</p>
      )}
      <ModelTools />
    </fieldset>
  );
};

/** Ways to fill the table: by hand, from the region's endpoints, or from the browser plugin's JSON. */
const ModelTools = (): ReactElement => {
  const discovering = useSettingsStore((s) => s.endpoints.state === 'loading');
  const pasteOpen = useSettingsStore((s) => s.paste.open);
  const note = useSettingsStore((s) => s.modelsNote);
  return (
    <>
      <div className="ss-models__tools">
        <button type="button" className="ss-button" onClick={() => addModel()}>
          <PlusIcon size={14} />
          Add model
        </button>
        <button
          type="button"
          className="ss-button"
          aria-busy={discovering}
          disabled={discovering}
          title="List the SageMaker endpoints of the region"
          onClick={() => void discoverEndpoints()}
        >
          {discovering ? (
            <span className="ss-spinner ss-spinner--small" aria-hidden="true" />
          ) : (
            <SearchIcon size={14} />
          )}
          Discover
        </button>
        <button type="button" className="ss-button" aria-expanded={pasteOpen} onClick={togglePaste}>
          <ClipboardIcon size={14} />
          Paste JSON
        </button>
        {note ? (
          <p className="ss-models__note" role="status" data-testid="models-note">
            {note}
          </p>
        ) : null}
      </div>
      <DiscoverPanel />
      <PastePanel />
    </>
  );
};

const Storage = (): ReactElement => {
  const store = useSettingsStore((s) => s.draft.storeGeneratedImages);
  const table = useSettingsStore((s) => s.draft.generationsTable);
  const bucket = useSettingsStore((s) => s.draft.generationsBucket);
  const projectId = useSettingsStore((s) => s.draft.projectId);
  const storeError = useFieldError('storeGeneratedImages');
  return (
    <fieldset className="ss-settings-section">
      <legend className="ss-settings-section__title">Storage</legend>
      <div className="ss-storage-mode">
        <span className="ss-storage-mode__label">Library</span>
        <span className="ss-storage-mode__value" data-testid="storage-mode">
          {store ? 'This computer, then S3 + DynamoDB' : 'This computer (default)'}
        </span>
        <span className="ss-storage-mode__note">
          {store
            ? 'Every image is saved here first, then uploaded; nothing waits on AWS.'
            : 'Every image is kept in the local library; no AWS storage is used.'}
        </span>
      </div>
      <label className="ss-checkbox">
        <input
          {...storeError.control}
          type="checkbox"
          aria-label="Store generated images"
          checked={store}
          onChange={(e) => updateDraft({ storeGeneratedImages: e.target.checked })}
        />
        <span>Store generated images in the cloud (S3 + DynamoDB)</span>
      </label>
      <FieldError id={storeError.errorId} {...(storeError.message ? { message: storeError.message } : {})} />
      <p className="ss-settings-section__note">
        The browser plugin&apos;s table and bucket work as they are: its history is read, never rewritten.
      </p>
      <div className="ss-settings-grid ss-settings-grid--three">
        <TextSetting
          label="Generations table"
          path="generationsTable"
          value={table}
          onChange={(generationsTable) => updateDraft({ generationsTable })}
        />
        <TextSetting
          label="Generations bucket"
          path="generationsBucket"
          value={bucket}
          onChange={(generationsBucket) => updateDraft({ generationsBucket })}
        />
        <TextSetting
          label="Project ID"
          path="projectId"
          value={projectId}
          onChange={(projectId) => updateDraft({ projectId })}
          help="Computers with the same project share one history. Empty: your Cognito identity, or “default”."
        />
      </div>
    </fieldset>
  );
};

const Advanced = (): ReactElement => {
  const open = useSettingsStore((s) => s.advancedOpen);
  const overrides = useSettingsStore((s) => s.draft.endpointOverrides);
  const concurrency = useSettingsStore((s) => s.draft.concurrency);
  const loopbackPort = useSettingsStore((s) => s.draft.signInLoopbackPort);
  return (
    <section className="ss-settings-section ss-settings-section--collapsible">
      <button type="button" className="ss-settings-toggle" aria-expanded={open} onClick={toggleAdvanced}>
        <ChevronIcon open={open} size={14} />
        Advanced
      </button>
      {open ? (
        <div className="ss-settings-advanced">
          <p className="ss-settings-section__lead">
            Endpoint URL overrides for VPC endpoints, emulators and tests. Leave empty for AWS&apos;s defaults.
          </p>
          <div className="ss-settings-grid">
            {services.map((service) => (
              <TextSetting
                key={service}
                label={`${serviceNames[service]} endpoint URL`}
                path={`endpointOverrides.${service}`}
                placeholder="https://…"
                type="url"
                mono
                value={overrides[service]}
                onChange={(url) => updateOverride(service, url)}
              />
            ))}
            <Field
              label="Sign-in loopback port"
              path="signInLoopbackPort"
              help="Desktop sign-in returns to http://localhost:<port>/auth/callback where stablestudio:// cannot be registered."
            >
              {(control) => (
                <input
                  {...control}
                  className="ss-input"
                  type="number"
                  aria-label="Sign-in loopback port"
                  min={1024}
                  max={65535}
                  value={Number.isNaN(loopbackPort) ? '' : loopbackPort}
                  onChange={(e) =>
                    updateDraft({ signInLoopbackPort: e.target.value === '' ? Number.NaN : Number(e.target.value) })
                  }
                />
              )}
            </Field>
            <Field label="Concurrency" path="concurrency" help="Parallel requests per endpoint (1–16).">
              {(control) => (
                <input
                  {...control}
                  className="ss-input"
                  type="number"
                  aria-label="Concurrency"
                  min={1}
                  max={16}
                  value={Number.isNaN(concurrency) ? '' : concurrency}
                  onChange={(e) =>
                    updateDraft({ concurrency: e.target.value === '' ? Number.NaN : Number(e.target.value) })
                  }
                />
              )}
            </Field>
          </div>
        </div>
      ) : null}
    </section>
  );
};

const OtherErrors = (): ReactElement | null => {
  const errors = useSettingsStore((s) => s.errors);
  const modelCount = useSettingsStore((s) => s.draft.models.length);
  const mode = useSettingsStore((s) => s.draft.credentialsMode);
  const formError = useSettingsStore((s) => s.formError);
  const shown = shownPaths(modelCount, mode);
  const others = Object.entries(errors).filter(([path]) => !shown.has(path));
  if (!formError && others.length === 0) return null;
  return (
    <div className="ss-settings-error" role="alert" data-testid="settings-error">
      <AlertIcon size={16} className="ss-settings-error__icon" />
      <div>
        {formError ? (
          <p>
            {formError.message}
            {formError.hint ? <span className="ss-settings-error__hint"> {formError.hint}</span> : null}
          </p>
        ) : null}
        {others.map(([path, message]) => (
          <p key={path}>{path === '_' ? message : `${path}: ${message}`}</p>
        ))}
      </div>
    </div>
  );
};

/** The Settings modal: Escape or Cancel closes it without saving. */
export const SettingsDialog = ({ onSaved }: { onSaved: () => void }): ReactElement | null => {
  const open = useSettingsStore((s) => s.open);
  const loading = useSettingsStore((s) => s.loading);
  const saving = useSettingsStore((s) => s.saving);
  const errors = useSettingsStore((s) => s.errors);
  const connection = useSettingsStore((s) => s.connection.state);
  const openings = useSettingsStore((s) => s.openings);
  const dialog = useRef<HTMLDialogElement>(null);
  const modal = useModal(dialog, open, openings, closeSettings);

  // After a failed save, take the user to the first field that needs attention.
  useEffect(() => {
    if (Object.keys(errors).length === 0) return;
    dialog.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [errors]);

  if (!open) return null;

  // Closed natively first (focus goes back to what opened it), then in the store at once: the
  // dialog's close event comes a task later, and a reopen before it must not find it still open.
  const requestClose = (): void => {
    dialog.current?.close();
    closeSettings();
  };

  return (
    <dialog
      ref={dialog}
      className="ss-modal ss-dialog"
      aria-label="Settings"
      onCancel={modal.onCancel}
      onClose={modal.onClose}
    >
      <form
        className="ss-dialog__form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void saveSettings().then((saved) => {
            if (!saved) return;
            requestClose();
            onSaved();
          });
        }}
      >
        {/* Not <header>/<footer>: outside a sectioning element they are the page's banner and contentinfo landmarks. */}
        <div className="ss-dialog__header">
          <h2 className="ss-dialog__title">Settings</h2>
          <button type="button" className="ss-icon-button" aria-label="Close" onClick={requestClose}>
            <CloseIcon size={16} />
          </button>
        </div>
        <div className="ss-dialog__body">
          {loading ? (
            <div className="ss-loading" role="status">
              <span className="ss-spinner" aria-hidden="true" />
              Loading settings…
            </div>
          ) : null}
          <fieldset className="ss-dialog__fields" disabled={loading}>
            <Credentials />
            <Models />
            <Storage />
            <Advanced />
          </fieldset>
        </div>
        <div className="ss-dialog__footer">
          <OtherErrors />
          <ConnectionReportView />
          <div className="ss-dialog__actions">
            <button
              type="button"
              className="ss-button ss-dialog__test"
              disabled={loading || connection === 'loading'}
              onClick={() => void testConnection()}
            >
              {connection === 'loading' ? 'Testing…' : 'Test connection'}
            </button>
            <button type="button" className="ss-button" onClick={requestClose}>
              Cancel
            </button>
            <button type="submit" className="ss-button ss-button--primary" disabled={loading || saving}>
              {saving ? 'Saving…' : 'Save'}
            </button>
          </div>
        </div>
      </form>
    </dialog>
  );
};

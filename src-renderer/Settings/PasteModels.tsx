import { useId } from 'react';
import type { ReactElement } from 'react';
import { importPastedModels, togglePaste, updatePaste, useSettingsStore } from './store';
import type { ImportMode } from './store';

const example = `[
  {"modelId": "sdxl", "modelName": "SDXL 1.0", "endpointName": "my-sdxl-endpoint"}
]`;

const modes: Array<{ mode: ImportMode; label: string; note: string }> = [
  { mode: 'merge', label: 'Merge by model ID', note: 'same ID: replaced, new IDs: added' },
  { mode: 'replace', label: 'Replace the list', note: 'the pasted models only' },
];

/** The browser plugin's hand-typed model list, pasted in; nothing changes until it reads well. */
export const PastePanel = (): ReactElement | null => {
  const paste = useSettingsStore((s) => s.paste);
  const id = useId();
  if (!paste.open) return null;
  const errorId = `${id}-error`;
  return (
    <section className="ss-panel" aria-label="Paste a model list" data-testid="paste-panel">
      <header className="ss-panel__header">
        <label className="ss-panel__title" htmlFor={id}>
          Model list JSON
        </label>
        <span className="ss-panel__note">
          The browser plugin&apos;s &ldquo;Model configuration&rdquo;: modelId, modelName, endpointName, optional
          format.
        </span>
      </header>
      <textarea
        id={id}
        className="ss-textarea ss-input--mono ss-paste__text"
        aria-label="Model list JSON"
        rows={5}
        spellCheck={false}
        autoFocus
        placeholder={example}
        value={paste.text}
        {...(paste.error ? { 'aria-invalid': true, 'aria-describedby': errorId } : {})}
        onChange={(e) => updatePaste({ text: e.target.value })}
      />
      {paste.error ? (
        <p id={errorId} className="ss-panel__error" role="alert" data-testid="paste-error">
          {paste.error}
        </p>
      ) : null}
      <div className="ss-paste__footer">
        <div className="ss-paste__modes" role="radiogroup" aria-label="Import mode">
          {modes.map(({ mode, label, note }) => (
            <label key={mode} className="ss-checkbox" title={note}>
              <input
                type="radio"
                name={`${id}-mode`}
                checked={paste.mode === mode}
                onChange={() => updatePaste({ mode })}
              />
              <span>{label}</span>
            </label>
          ))}
        </div>
        <button type="button" className="ss-button ss-button--ghost" onClick={togglePaste}>
          Discard
        </button>
        <button type="button" className="ss-button ss-button--primary" onClick={() => importPastedModels()}>
          Import
        </button>
      </div>
    </section>
  );
};

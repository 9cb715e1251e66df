import { useState } from 'react';
import type { ReactElement } from 'react';
import { maxCount, maxSeed } from '../../src-shared/sdxl';
import { Form } from '../Generation';
import { boxModels, boxTakesStrength, boxTakesStyles, modelOfBox, sizeRuleOf } from './boxes';
import { dreamInBox, useRunStore } from './dream';
import type { Box } from './model';
import { snapSize } from './model';
import { deleteBox, updateBoxOf } from './store';

/** A text field that changes the box when it loses focus (one undo step per edit, not per key). */
const TextField = ({
  label,
  value,
  onCommit,
  rows,
}: {
  label: string;
  value: string;
  onCommit: (value: string) => void;
  rows: number;
}): ReactElement => {
  const [text, setText] = useState(value);
  // Undo, redo or another box: the field shows the new value (React's "adjust state on a prop change").
  const [shown, setShown] = useState(value);
  if (shown !== value) {
    setShown(value);
    setText(value);
  }
  return (
    <label className="ss-box-field">
      <span className="ss-box-field__label">{label}</span>
      <textarea
        className="ss-box-field__text"
        rows={rows}
        maxLength={2000}
        value={text}
        onChange={(event) => setText(event.target.value)}
        onBlur={() => {
          if (text !== value) onCommit(text);
        }}
      />
    </label>
  );
};

/** A number the box takes, within bounds; what is out of bounds is brought into them. */
const NumberField = ({
  label,
  value,
  min,
  max,
  step = 1,
  integer = true,
  hint,
  onCommit,
}: {
  label: string;
  value: number;
  min: number;
  max: number;
  step?: number;
  integer?: boolean;
  hint?: string;
  onCommit: (value: number) => void;
}): ReactElement => {
  const [text, setText] = useState(String(value));
  const [shown, setShown] = useState(value);
  if (shown !== value) {
    setShown(value);
    setText(String(value));
  }
  const commit = (): void => {
    const parsed = Number(text);
    if (text.trim() === '' || !Number.isFinite(parsed)) {
      setText(String(value));
      return;
    }
    const bounded = Math.min(max, Math.max(min, integer ? Math.round(parsed) : parsed));
    setText(String(bounded));
    if (bounded !== value) onCommit(bounded);
  };
  return (
    <label className="ss-box-field ss-box-field--number" title={hint}>
      <span className="ss-box-field__label">{label}</span>
      <input
        type="number"
        className="ss-box-field__input"
        min={min}
        max={max}
        step={step}
        value={text}
        onChange={(event) => setText(event.target.value)}
        onBlur={commit}
        onKeyDown={(event) => {
          if (event.key === 'Enter') commit();
        }}
      />
    </label>
  );
};

/** The selected dream box's parameters, in the Edit sidebar. */
export const BoxPanel = ({ box }: { box: Box }): ReactElement => {
  const models = Form.use((s) => s.models);
  const styles = Form.use((s) => s.styles);
  const usable = boxModels(models);
  const model = modelOfBox(box, models);
  const rule = sizeRuleOf(model);
  const busy = useRunStore((s) => {
    const state = s.runs[box.id]?.state;
    return state === 'preparing' || state === 'running';
  });
  const sizes = rule.range ? [] : rule.sizes;
  return (
    <section className="ss-box-panel" aria-label="Dream box" data-testid="box-panel">
      <h2 className="ss-box-panel__title">Dream box</h2>
      <TextField label="Prompt" rows={3} value={box.prompt} onCommit={(prompt) => updateBoxOf(box.id, { prompt })} />
      <TextField
        label="Negative prompt"
        rows={2}
        value={box.negativePrompt}
        onCommit={(negativePrompt) => updateBoxOf(box.id, { negativePrompt })}
      />
      <label className="ss-box-field">
        <span className="ss-box-field__label">Model</span>
        {usable.length === 0 ? (
          <span className="ss-edit-help">
            No model here edits images: add an SDXL (stability) or JumpStart SD 2 inpainting model in Settings.
          </span>
        ) : (
          <select
            className="ss-box-field__input"
            value={model?.id ?? ''}
            onChange={(event) => {
              const next = usable.find((m) => m.id === event.target.value);
              updateBoxOf(box.id, {
                modelId: event.target.value,
                ...snapSize(sizeRuleOf(next), box),
                ...(boxTakesStyles(next) ? {} : { stylePreset: '' }),
              });
            }}
          >
            {usable.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name ?? m.id}
              </option>
            ))}
          </select>
        )}
      </label>
      {sizes.length > 0 ? (
        <label className="ss-box-field">
          <span className="ss-box-field__label">Size</span>
          <select
            className="ss-box-field__input"
            value={`${box.width}x${box.height}`}
            onChange={(event) => {
              const [width = box.width, height = box.height] = event.target.value.split('x').map(Number);
              updateBoxOf(box.id, { width, height });
            }}
          >
            {sizes.map((s) => (
              <option key={`${s.width}x${s.height}`} value={`${s.width}x${s.height}`}>
                {s.width}×{s.height}
              </option>
            ))}
          </select>
        </label>
      ) : (
        <p className="ss-edit-help">
          Size {box.width}×{box.height}
          {rule.range
            ? ` (drag the handles: multiples of ${rule.range.step} from ${rule.range.min} to ${rule.range.max})`
            : ''}
        </p>
      )}
      {boxTakesStyles(model) ? (
        <label className="ss-box-field">
          <span className="ss-box-field__label">Style</span>
          <select
            className="ss-box-field__input"
            value={box.stylePreset}
            onChange={(event) => updateBoxOf(box.id, { stylePreset: event.target.value })}
          >
            <option value="">None</option>
            {styles.map((style) => (
              <option key={style.id} value={style.id}>
                {style.name ?? style.id}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <div className="ss-box-panel__grid">
        <NumberField
          label="Images"
          value={box.count}
          min={1}
          max={maxCount}
          onCommit={(count) => updateBoxOf(box.id, { count })}
        />
        <NumberField
          label="Steps"
          value={box.steps}
          min={10}
          max={150}
          onCommit={(steps) => updateBoxOf(box.id, { steps })}
        />
        <NumberField
          label="CFG scale"
          value={box.cfgScale}
          min={0}
          max={35}
          step={0.5}
          integer={false}
          onCommit={(cfgScale) => updateBoxOf(box.id, { cfgScale })}
        />
        <NumberField
          label="Seed"
          value={box.seed}
          min={0}
          max={maxSeed}
          hint="0: a random seed for each image"
          onCommit={(seed) => updateBoxOf(box.id, { seed })}
        />
        {boxTakesStrength(model) ? (
          <NumberField
            label="Image strength"
            value={box.strength}
            min={0}
            max={1}
            step={0.05}
            integer={false}
            hint="Without transparency in the box: how much of its pixels survive (0 … 1)"
            onCommit={(strength) => updateBoxOf(box.id, { strength })}
          />
        ) : null}
      </div>
      <div className="ss-box-panel__actions">
        <button type="button" className="ss-edit-add" disabled={busy} onClick={() => void dreamInBox(box.id)}>
          Dream in this box
        </button>
        <button type="button" className="ss-box__button" onClick={() => deleteBox(box.id)}>
          Delete box
        </button>
      </div>
    </section>
  );
};

import { useId, useMemo } from 'react';
import type { ReactElement } from 'react';
import { maxSeed } from '../../src-shared/sdxl';
import { ChevronIcon, Stroke } from '../Icon';
import { selectModel } from './actions';
import { Slider } from './controls';
import { randomSeed, textModels, useSidebarStore } from './sidebarStore';

/** A 15 px stroke icon from path data. */
const Paths = ({ d }: { d: string[] }): ReactElement => (
  <Stroke size={15}>
    {d.map((path) => (
      <path key={path} d={path} />
    ))}
  </Stroke>
);

const DiceIcon = (): ReactElement => (
  <Paths
    d={[
      'M6 3.5h12A2.5 2.5 0 0 1 20.5 6v12a2.5 2.5 0 0 1-2.5 2.5H6A2.5 2.5 0 0 1 3.5 18V6A2.5 2.5 0 0 1 6 3.5z',
      'M8.5 8.5h.01M15.5 8.5h.01M12 12h.01M8.5 15.5h.01M15.5 15.5h.01',
    ]}
  />
);

const LockIcon = ({ locked }: { locked: boolean }): ReactElement => (
  <Paths
    d={[
      'M6.5 11h11a1.5 1.5 0 0 1 1.5 1.5v6a1.5 1.5 0 0 1-1.5 1.5h-11A1.5 1.5 0 0 1 5 18.5v-6A1.5 1.5 0 0 1 6.5 11z',
      locked ? 'M8 11V7.5a4 4 0 0 1 8 0V11' : 'M8 11V7.5a4 4 0 0 1 7.7-1.5',
    ]}
  />
);

/** A sidebar field: its label tied to the control that `children` renders with the given id. */
const LabelledField = ({
  label,
  children,
}: {
  label: string;
  children: (id: string) => ReactElement;
}): ReactElement => {
  const id = useId();
  return (
    <div className="ss-field">
      <label htmlFor={id} className="ss-field__label">
        {label}
      </label>
      {children(id)}
    </div>
  );
};

const ModelField = (): ReactElement => {
  const all = useSidebarStore((s) => s.models);
  const models = useMemo(() => textModels(all), [all]);
  const model = useSidebarStore((s) => s.model);
  return (
    <LabelledField label="Model">
      {(id) => (
        <select
          id={id}
          className="ss-select"
          aria-label="Model"
          value={model}
          disabled={!models || models.length === 0}
          onChange={(event) => selectModel(event.target.value)}
        >
          {models === undefined ? <option value="">Loading…</option> : null}
          {models?.length === 0 ? (
            <option value="">{all?.length ? 'No text-to-image model configured' : 'No model configured'}</option>
          ) : null}
          {models?.map((m) => (
            <option key={m.id} value={m.id}>
              {m.name ?? m.id}
            </option>
          ))}
        </select>
      )}
    </LabelledField>
  );
};

const SamplerField = (): ReactElement | null => {
  const sampler = useSidebarStore((s) => s.sampler);
  const samplers = useSidebarStore((s) => s.samplers);
  const update = useSidebarStore((s) => s.update);
  // Formats whose model decides the sampler list none.
  if (samplers.length === 0) return null;
  return (
    <LabelledField label="Sampler">
      {(id) => (
        <select
          id={id}
          className="ss-select"
          aria-label="Sampler"
          value={sampler}
          onChange={(event) => update({ sampler: event.target.value })}
        >
          <option value="">Model default</option>
          {samplers.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name ?? s.id}
            </option>
          ))}
        </select>
      )}
    </LabelledField>
  );
};

/** Seed with a dice (a new random value, kept) and a lock: unlocked, every Dream draws random seeds. */
const SeedField = (): ReactElement => {
  const seed = useSidebarStore((s) => s.seed);
  const locked = useSidebarStore((s) => s.seedLocked);
  const update = useSidebarStore((s) => s.update);
  const id = useId();
  const hintId = useId();
  return (
    <div className="ss-field">
      <label htmlFor={id} className="ss-field__label">
        Seed
      </label>
      <div className={`ss-seed${locked ? ' ss-seed--locked' : ''}`}>
        <input
          id={id}
          className="ss-input ss-seed__input"
          type="number"
          inputMode="numeric"
          aria-label="Seed"
          aria-describedby={hintId}
          min={0}
          max={maxSeed}
          value={seed}
          onChange={(event) => {
            const n = Math.floor(Number(event.target.value));
            const next = Number.isFinite(n) ? Math.min(maxSeed, Math.max(0, n)) : 0;
            // Typing a seed means wanting it; 0 means random.
            update({ seed: next, seedLocked: next !== 0 });
          }}
        />
        <button
          type="button"
          className="ss-icon-button ss-seed__button"
          aria-label="Random seed"
          title="A new random seed (kept for the next Dreams)"
          onClick={() => update({ seed: randomSeed(), seedLocked: true })}
        >
          <DiceIcon />
        </button>
        <button
          type="button"
          className="ss-icon-button ss-seed__button ss-seed__lock"
          aria-label="Lock seed"
          aria-pressed={locked}
          title={locked ? 'Seed locked: every Dream uses it' : 'Seed unlocked: every Dream draws a random seed'}
          onClick={() =>
            update(locked ? { seedLocked: false } : { seedLocked: true, ...(seed === 0 ? { seed: randomSeed() } : {}) })
          }
        >
          <LockIcon locked={locked} />
        </button>
      </div>
      <p id={hintId} className="ss-field__hint">
        {locked ? 'Locked: every Dream uses this seed.' : 'Unlocked: a random seed for every image.'}
      </p>
    </div>
  );
};

/** Advanced: model, sampler, CFG scale, steps and seed. */
export const AdvancedSection = (): ReactElement => {
  const open = useSidebarStore((s) => s.advancedOpen);
  const cfgScale = useSidebarStore((s) => s.cfgScale);
  const steps = useSidebarStore((s) => s.steps);
  const update = useSidebarStore((s) => s.update);
  const id = useId();
  return (
    <div className="ss-advanced">
      <button
        type="button"
        className="ss-advanced__toggle"
        aria-expanded={open}
        aria-controls={open ? id : undefined}
        onClick={() => update({ advancedOpen: !open })}
      >
        <ChevronIcon open={open} size={14} />
        Advanced
      </button>
      {open ? (
        <div id={id} className="ss-advanced__body">
          <ModelField />
          <SamplerField />
          <Slider
            label="CFG scale"
            value={cfgScale}
            min={0}
            max={35}
            step={0.5}
            onChange={(v) => update({ cfgScale: v })}
          />
          <Slider label="Steps" value={steps} min={10} max={150} onChange={(v) => update({ steps: v })} />
          <SeedField />
        </div>
      ) : null}
    </div>
  );
};

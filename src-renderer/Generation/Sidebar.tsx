import { useId } from 'react';
import type { CSSProperties, ReactElement, ReactNode } from 'react';
import { ChevronIcon, GridIcon, MoonIcon, PencilIcon, StopIcon } from '../Icon';
import { cancelRunning, dream, selectModel } from './actions';
import { selectedModel, sizesOf, useSidebarStore } from './sidebarStore';
import type { Size } from './sidebarStore';
import { runningKeys, useStreamStore } from './streamStore';

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

const ratioLabel = ({ width, height }: Size): string => {
  const d = gcd(width, height);
  return `${width / d} : ${height / d}`;
};

/** The filled part of a range track, for the accent-coloured progress. */
const fillStyle = (value: number, min: number, max: number): CSSProperties =>
  ({ '--fill': `${max === min ? 0 : ((value - min) / (max - min)) * 100}%` }) as CSSProperties;

interface SliderProps {
  label: string;
  value: number;
  min: number;
  max: number;
  step?: number;
  display?: ReactNode;
  onChange: (value: number) => void;
}

const Slider = ({ label, value, min, max, step = 1, display, onChange }: SliderProps): ReactElement => {
  const id = useId();
  return (
    <div className="ss-slider">
      <div className="ss-slider__head">
        <label htmlFor={id}>{label}</label>
        <output htmlFor={id} className="ss-slider__value">
          {display ?? value}
        </output>
      </div>
      <input
        id={id}
        className="ss-range"
        type="range"
        aria-label={label}
        min={min}
        max={max}
        step={step}
        value={value}
        style={fillStyle(value, min, max)}
        onChange={(event) => onChange(Number(event.target.value))}
      />
    </div>
  );
};

const Landscape = (): ReactElement => (
  <svg width="18" height="14" viewBox="0 0 18 14" aria-hidden="true">
    <rect x="1" y="1" width="16" height="12" rx="2" fill="none" stroke="currentColor" strokeDasharray="2 2" />
  </svg>
);

const Portrait = (): ReactElement => (
  <svg width="14" height="18" viewBox="0 0 14 18" aria-hidden="true">
    <rect x="1" y="1" width="12" height="16" rx="2" fill="none" stroke="currentColor" strokeDasharray="2 2" />
  </svg>
);

const AspectRatio = (): ReactElement => {
  const size = useSidebarStore((s) => s.size);
  const model = useSidebarStore(selectedModel);
  const update = useSidebarStore((s) => s.update);
  const sizes = sizesOf(model);
  const found = sizes.findIndex((s) => s.width === size.width && s.height === size.height);
  const index = found === -1 ? 0 : found;
  const current = sizes[index] ?? size;
  return (
    <div className="ss-aspect">
      <div className="ss-aspect__head">
        <Landscape />
        <span className="ss-aspect__ratio">{ratioLabel(current)}</span>
        <Portrait />
      </div>
      <input
        className="ss-range"
        type="range"
        aria-label="Aspect ratio"
        aria-valuetext={`${ratioLabel(current)}, ${current.width} × ${current.height}`}
        min={0}
        max={Math.max(0, sizes.length - 1)}
        step={1}
        value={index}
        disabled={sizes.length < 2}
        style={fillStyle(index, 0, Math.max(1, sizes.length - 1))}
        onChange={(event) => {
          const next = sizes[Number(event.target.value)];
          if (next) update({ size: next });
        }}
      />
      <div className="ss-aspect__size">
        {current.width} × {current.height}
      </div>
    </div>
  );
};

const Collapsible = ({
  title,
  open,
  onToggle,
  children,
}: {
  title: string;
  open: boolean;
  onToggle: () => void;
  children: ReactNode;
}): ReactElement => {
  const id = useId();
  return (
    <section className="ss-section">
      <button type="button" className="ss-section__toggle" aria-expanded={open} aria-controls={id} onClick={onToggle}>
        <ChevronIcon open={open} size={14} />
        {title}
      </button>
      {open ? (
        <div id={id} className="ss-section__body">
          {children}
        </div>
      ) : null}
    </section>
  );
};

const PromptCard = (): ReactElement => {
  const prompt = useSidebarStore((s) => s.prompt);
  const promptError = useSidebarStore((s) => s.promptError);
  const update = useSidebarStore((s) => s.update);
  const id = useId();
  const errorId = useId();
  return (
    <div className={`ss-card${promptError ? ' ss-card--invalid' : ''}`}>
      <label htmlFor={id} className="ss-card__label ss-card__label--prompt">
        <ChevronIcon open size={12} />
        Prompt
      </label>
      <textarea
        id={id}
        className="ss-card__textarea"
        maxLength={2000}
        aria-label="Prompt"
        aria-invalid={promptError ? true : undefined}
        aria-describedby={promptError ? errorId : undefined}
        placeholder="Describe what you want to see…"
        rows={4}
        value={prompt}
        onChange={(event) =>
          update(promptError ? { prompt: event.target.value, promptError: undefined } : { prompt: event.target.value })
        }
      />
      {promptError ? (
        <p id={errorId} className="ss-field-error ss-card__error" role="alert" data-testid="prompt-error">
          {promptError}
        </p>
      ) : null}
    </div>
  );
};

const NegativePromptCard = (): ReactElement => {
  const open = useSidebarStore((s) => s.negativeOpen);
  const value = useSidebarStore((s) => s.negativePrompt);
  const update = useSidebarStore((s) => s.update);
  const id = useId();
  return (
    <div className="ss-card">
      <button
        type="button"
        className="ss-card__label ss-card__label--negative"
        aria-expanded={open}
        aria-controls={id}
        onClick={() => update({ negativeOpen: !open })}
      >
        <ChevronIcon open={open} size={12} />
        Negative prompt
      </button>
      {open ? (
        <textarea
          id={id}
          className="ss-card__textarea"
          maxLength={2000}
          aria-label="Negative prompt"
          placeholder="What to leave out…"
          rows={3}
          value={value}
          onChange={(event) => update({ negativePrompt: event.target.value })}
        />
      ) : null}
    </div>
  );
};

const StyleField = (): ReactElement => {
  const style = useSidebarStore((s) => s.style);
  const styles = useSidebarStore((s) => s.styles);
  const update = useSidebarStore((s) => s.update);
  const id = useId();
  return (
    <div className="ss-field ss-field--style">
      <label htmlFor={id} className="ss-field__label">
        Style
      </label>
      <select
        id={id}
        className="ss-select ss-select--bare"
        aria-label="Style"
        value={style}
        onChange={(event) => update({ style: event.target.value })}
      >
        <option value="">None</option>
        {styles.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name ?? s.id}
          </option>
        ))}
      </select>
    </div>
  );
};

const ModelField = (): ReactElement => {
  const models = useSidebarStore((s) => s.models);
  const model = useSidebarStore((s) => s.model);
  const id = useId();
  return (
    <div className="ss-field">
      <label htmlFor={id} className="ss-field__label">
        Model
      </label>
      <select
        id={id}
        className="ss-select"
        aria-label="Model"
        value={model}
        disabled={!models || models.length === 0}
        onChange={(event) => selectModel(event.target.value)}
      >
        {models === undefined ? <option value="">Loading…</option> : null}
        {models?.length === 0 ? <option value="">No model configured</option> : null}
        {models?.map((m) => (
          <option key={m.id} value={m.id}>
            {m.name ?? m.id}
          </option>
        ))}
      </select>
    </div>
  );
};

const SamplingSection = (): ReactElement => {
  const open = useSidebarStore((s) => s.samplingOpen);
  const sampler = useSidebarStore((s) => s.sampler);
  const samplers = useSidebarStore((s) => s.samplers);
  const cfgScale = useSidebarStore((s) => s.cfgScale);
  const steps = useSidebarStore((s) => s.steps);
  const seed = useSidebarStore((s) => s.seed);
  const update = useSidebarStore((s) => s.update);
  const samplerId = useId();
  const seedId = useId();
  return (
    <Collapsible title="Sampling" open={open} onToggle={() => update({ samplingOpen: !open })}>
      <div className="ss-field">
        <label htmlFor={samplerId} className="ss-field__label">
          Sampler
        </label>
        <select
          id={samplerId}
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
      </div>
      <Slider
        label="CFG scale"
        value={cfgScale}
        min={0}
        max={35}
        step={0.5}
        onChange={(v) => update({ cfgScale: v })}
      />
      <Slider label="Steps" value={steps} min={10} max={150} onChange={(v) => update({ steps: v })} />
      <div className="ss-field">
        <label htmlFor={seedId} className="ss-field__label">
          Seed <span className="ss-field__note">0 = random</span>
        </label>
        <input
          id={seedId}
          className="ss-input"
          type="number"
          aria-label="Seed"
          min={0}
          max={4294967295}
          value={seed}
          onChange={(event) => {
            const n = Math.floor(Number(event.target.value));
            update({ seed: Number.isFinite(n) ? Math.min(4294967295, Math.max(0, n)) : 0 });
          }}
        />
      </div>
    </Collapsible>
  );
};

const DreamBar = (): ReactElement => {
  const count = useSidebarStore((s) => s.count);
  const running = useStreamStore((s) => runningKeys(s.blocks).length > 0);
  const mod = /Mac|iPhone|iPad/.test(navigator.platform) ? '⌘' : 'Ctrl';
  return (
    <div className="ss-dreambar">
      <button
        type="button"
        className="ss-dream"
        title={`Dream (${mod}+Enter)`}
        aria-keyshortcuts="Control+Enter Meta+Enter"
        onClick={() => void dream()}
      >
        <MoonIcon size={15} />
        <span>Dream</span>
        <span className="ss-dream__badge" aria-hidden="true">
          ×{count}
        </span>
      </button>
      {running ? (
        <button type="button" className="ss-button ss-cancel" onClick={() => void cancelRunning()}>
          <StopIcon size={13} />
          Cancel
        </button>
      ) : null}
    </div>
  );
};

/** The Generate tab: prompt, options and the Dream button. */
export const Sidebar = (): ReactElement => {
  const count = useSidebarStore((s) => s.count);
  const update = useSidebarStore((s) => s.update);
  return (
    <aside className="ss-sidebar" aria-label="Generate options">
      <div className="ss-tabs" role="tablist" aria-label="Mode">
        <button type="button" role="tab" aria-selected="true" className="ss-tab ss-tab--active">
          <GridIcon size={15} />
          Generate
        </button>
        <button
          type="button"
          role="tab"
          aria-selected="false"
          aria-disabled="true"
          className="ss-tab"
          title="Editing arrives in a later version"
          tabIndex={-1}
        >
          <PencilIcon size={15} />
          Edit
        </button>
      </div>
      <div className="ss-sidebar__scroll">
        <StyleField />
        <div className="ss-sidebar__prompts">
          <PromptCard />
          <NegativePromptCard />
        </div>
        <section className="ss-section ss-section--static">
          <h2 className="ss-section__title">Output</h2>
          <div className="ss-section__body">
            <ModelField />
            <AspectRatio />
            <Slider label="Image count" value={count} min={1} max={10} onChange={(v) => update({ count: v })} />
          </div>
        </section>
        <SamplingSection />
        <DreamBar />
      </div>
    </aside>
  );
};

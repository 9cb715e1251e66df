import { useEffect, useId, useRef } from 'react';
import type { ReactElement, RefObject } from 'react';
import { ChevronIcon, MoonIcon, StopIcon } from '../Icon';
import { StylePicker } from '../Style';
import { WorkspaceTabs } from '../Edit';
import { UploadSection } from '../Upload';
import {
  AdvancedSection,
  Collapsible,
  Form,
  Generations,
  Slider,
  cancelRunning,
  dream,
  fillStyle,
  runningKeys,
  selectedModel,
  sizesOf,
  takesStyles,
} from '../Generation';
import type { Size } from '../Generation';

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

const ratioLabel = ({ width, height }: Size): string => {
  const d = gcd(width, height);
  return `${width / d} : ${height / d}`;
};

const Landscape = (): ReactElement => (
  <svg width="20" height="16" viewBox="0 0 20 16" aria-hidden="true">
    <rect x="1" y="1" width="18" height="14" rx="2" fill="none" stroke="currentColor" strokeDasharray="2 2" />
  </svg>
);

const Portrait = (): ReactElement => (
  <svg width="16" height="20" viewBox="0 0 16 20" aria-hidden="true">
    <rect x="1" y="1" width="14" height="18" rx="2" fill="none" stroke="currentColor" strokeDasharray="2 2" />
  </svg>
);

const AspectRatio = (): ReactElement => {
  const size = Form.use((s) => s.size);
  const model = Form.use(selectedModel);
  const update = Form.set;
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
      <div className="ss-aspect__size" data-testid="output-size">
        {current.width} × {current.height}
      </div>
    </div>
  );
};

const PromptCard = (): ReactElement => {
  const prompt = Form.use((s) => s.prompt);
  const promptError = Form.use((s) => s.promptError);
  const update = Form.set;
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
  const open = Form.use((s) => s.negativeOpen);
  const value = Form.use((s) => s.negativePrompt);
  const update = Form.set;
  const id = useId();
  return (
    <div className="ss-card">
      <button
        type="button"
        className="ss-card__label ss-card__label--negative"
        aria-expanded={open}
        aria-controls={open ? id : undefined}
        onClick={() => update({ negativeOpen: !open })}
      >
        <ChevronIcon open={open} size={12} />
        Negative prompt
        {!open && value.trim() !== '' ? (
          <span className="ss-card__peek" aria-hidden="true">
            {value}
          </span>
        ) : null}
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

/** Hidden for models whose payload format has no style presets. */
const StyleRow = (): ReactElement | null => {
  const style = Form.use((s) => s.style);
  const styles = Form.use((s) => s.styles);
  const model = Form.use(selectedModel);
  const update = Form.set;
  if (!takesStyles(model)) return null;
  return <StylePicker value={style} styles={styles} onChange={(id) => update({ style: id })} />;
};

const SettingsSection = (): ReactElement => {
  const open = Form.use((s) => s.settingsOpen);
  const count = Form.use((s) => s.count);
  const update = Form.set;
  return (
    <Collapsible
      title="Settings"
      toggleLabel="Image settings"
      open={open}
      onToggle={() => update({ settingsOpen: !open })}
    >
      <AspectRatio />
      <Slider label="Image count" value={count} min={1} max={10} onChange={(v) => update({ count: v })} />
      <AdvancedSection />
    </Collapsible>
  );
};

const DreamBar = (): ReactElement => {
  const count = Form.use((s) => s.count);
  const running = Generations.use((s) => runningKeys(s.blocks).length > 0);
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

/** Scrolls the focused control inside `scroller` up to just above the sticky Dream bar, if under it. */
const liftAboveDreamBar = (scroller: HTMLElement): void => {
  const focused = document.activeElement;
  const bar = scroller.querySelector('.ss-dreambar');
  if (!(focused instanceof HTMLElement) || !bar || !scroller.contains(focused) || bar.contains(focused)) return;
  const hidden = focused.getBoundingClientRect().bottom - bar.getBoundingClientRect().top;
  if (hidden > 0) scroller.scrollBy({ top: hidden + 8, behavior: 'instant' });
};

/**
 * The Dream bar sticks to the bottom of the scrolling sidebar: a control focused under it (by Tab
 * or by a script) is scrolled up to just above it — when it takes focus, after the browser's own
 * scroll, and again when the sidebar's content changes size under it (a field appearing above).
 */
const useDreamBarClearance = (): RefObject<HTMLDivElement | null> => {
  const scroller = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const lift = (): void => liftAboveDreamBar(element);
    const onFocus = (): void => {
      lift();
      window.requestAnimationFrame(lift);
    };
    const observer = new ResizeObserver(lift);
    for (const child of element.children) observer.observe(child);
    element.addEventListener('focusin', onFocus);
    return () => {
      observer.disconnect();
      element.removeEventListener('focusin', onFocus);
    };
  }, []);
  return scroller;
};

/** The Generate sidebar: style, prompts, init image, settings and the Dream button. */
export const Sidebar = (): ReactElement => {
  const scroller = useDreamBarClearance();
  return (
    <aside className="ss-sidebar" aria-label="Generate options">
      <div className="ss-sidebar__header">
        <WorkspaceTabs />
      </div>
      <div className="ss-sidebar__scroll" ref={scroller}>
        <StyleRow />
        <div className="ss-sidebar__prompts">
          <PromptCard />
          <NegativePromptCard />
        </div>
        <UploadSection />
        <SettingsSection />
        <DreamBar />
      </div>
    </aside>
  );
};

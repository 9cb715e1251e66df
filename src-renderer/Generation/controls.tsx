import { useId } from 'react';
import type { CSSProperties, ReactElement, ReactNode } from 'react';
import { ChevronIcon } from '../Icon';

/** The filled part of a range track, for the accent-coloured progress. */
export const fillStyle = (value: number, min: number, max: number): CSSProperties =>
  ({ '--fill': `${max === min ? 0 : ((value - min) / (max - min)) * 100}%` }) as CSSProperties;

interface SliderProps {
  label: string;
  /** The accessible name when it should differ from the visible label. */
  ariaLabel?: string;
  value: number;
  min: number;
  max: number;
  step?: number;
  display?: ReactNode;
  valueText?: string;
  onChange: (value: number) => void;
}

/** A labelled range input with its value on the right, StableStudio style. */
export const Slider = ({
  label,
  ariaLabel,
  value,
  min,
  max,
  step = 1,
  display,
  valueText,
  onChange,
}: SliderProps): ReactElement => {
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
        aria-label={ariaLabel ?? label}
        aria-valuetext={valueText}
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

interface CollapsibleProps {
  title: string;
  open: boolean;
  onToggle: () => void;
  children: ReactNode;
  /** The toggle's accessible name when the title alone would clash with another control. */
  toggleLabel?: string;
  /** Controls at the right end of the header (outside the toggle). */
  aside?: ReactNode;
  className?: string;
  /** Extra attributes for the section element (data-* hooks). */
  sectionProps?: Record<`data-${string}`, string>;
}

/** A sidebar section with a chevron header that folds its body away. */
export const Collapsible = ({
  title,
  open,
  onToggle,
  children,
  toggleLabel,
  aside,
  className,
  sectionProps,
}: CollapsibleProps): ReactElement => {
  const id = useId();
  return (
    <section className={`ss-section${className ? ` ${className}` : ''}`} {...sectionProps}>
      <div className="ss-section__header">
        <button
          type="button"
          className="ss-section__toggle"
          aria-expanded={open}
          aria-controls={open ? id : undefined}
          aria-label={toggleLabel}
          onClick={onToggle}
        >
          <ChevronIcon open={open} size={14} />
          {title}
        </button>
        {aside ? <div className="ss-section__aside">{aside}</div> : null}
      </div>
      {open ? (
        <div id={id} className="ss-section__body">
          {children}
        </div>
      ) : null}
    </section>
  );
};

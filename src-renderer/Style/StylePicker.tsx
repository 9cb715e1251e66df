import { useCallback, useEffect, useId, useLayoutEffect, useRef, useState } from 'react';
import type { CSSProperties, KeyboardEvent, ReactElement } from 'react';
import { createPortal } from 'react-dom';
import { CheckIcon, ChevronIcon } from '../Icon';
import { thumbnailOf } from './thumbnails';

export interface StyleOption {
  id: string;
  name?: string;
}

interface StylePickerProps {
  /** The selected style ID ('' = none). */
  value: string;
  styles: StyleOption[];
  onChange: (id: string) => void;
}

const columns = 4;

const Thumb = ({ id, className }: { id: string; className: string }): ReactElement => {
  const src = thumbnailOf(id);
  return src ? (
    <img className={className} src={src} alt="" draggable={false} />
  ) : (
    <span className={`${className} ${className}--blank`} aria-hidden="true" />
  );
};

/** Where the popover goes: beside the trigger, kept inside the window. */
const placement = (trigger: HTMLElement, popover: HTMLElement): CSSProperties => {
  const rect = trigger.getBoundingClientRect();
  const margin = 8;
  const width = popover.offsetWidth;
  const height = popover.offsetHeight;
  const fitsRight = rect.right + margin + width <= window.innerWidth - margin;
  const left = fitsRight ? rect.right + margin : Math.max(margin, rect.left);
  const top = fitsRight
    ? Math.min(Math.max(margin, rect.top - 6), window.innerHeight - height - margin)
    : Math.min(rect.bottom + 4, window.innerHeight - height - margin);
  return { left, top: Math.max(margin, top) };
};

/**
 * StableStudio's style picker: a row with the current style that opens a grid
 * of thumbnails. Keyboard: arrows move, Enter or Space picks, Escape closes.
 */
const tabbable =
  'button:not(:disabled), [href], input:not(:disabled), select:not(:disabled), textarea:not(:disabled), [tabindex]:not([tabindex="-1"])';

/** Focuses what follows `element` in the page's Tab order (document order; visible ones). */
const focusAfter = (element: HTMLElement): void => {
  const all = [...document.querySelectorAll<HTMLElement>(tabbable)].filter(
    (candidate) => candidate.getClientRects().length > 0,
  );
  const next = all[all.indexOf(element) + 1];
  (next ?? element).focus();
};

export const StylePicker = ({ value, styles, onChange }: StylePickerProps): ReactElement => {
  const options: StyleOption[] = [{ id: '', name: 'None' }, ...styles];
  const current = options.find((o) => o.id === value) ?? { id: value, name: value };
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const [position, setPosition] = useState<CSSProperties>({ left: -9999, top: 0 });
  const trigger = useRef<HTMLButtonElement>(null);
  const popover = useRef<HTMLDivElement>(null);
  const optionRefs = useRef<Array<HTMLDivElement | null>>([]);
  const listId = useId();
  const labelId = useId();

  const close = useCallback((refocus: boolean) => {
    setOpen(false);
    if (refocus) trigger.current?.focus();
  }, []);

  const show = (): void => {
    setActive(
      Math.max(
        0,
        options.findIndex((o) => o.id === value),
      ),
    );
    setOpen(true);
  };

  // Measure after render, before paint, so the popover never flashes in the wrong place.
  useLayoutEffect(() => {
    if (!open || !trigger.current || !popover.current) return;
    setPosition(placement(trigger.current, popover.current));
  }, [open]);

  useEffect(() => {
    if (open) optionRefs.current[active]?.focus();
  }, [open, active]);

  useEffect(() => {
    if (!open) return;
    const onPointerDown = (event: PointerEvent): void => {
      const target = event.target;
      if (!(target instanceof Node)) return;
      if (popover.current?.contains(target) || trigger.current?.contains(target)) return;
      close(false);
    };
    const onResize = (): void => close(false);
    document.addEventListener('pointerdown', onPointerDown);
    window.addEventListener('resize', onResize);
    return () => {
      document.removeEventListener('pointerdown', onPointerDown);
      window.removeEventListener('resize', onResize);
    };
  }, [open, close]);

  const pick = (index: number): void => {
    const option = options[index];
    if (option) onChange(option.id);
    close(true);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    const last = options.length - 1;
    const move: Record<string, number> = {
      ArrowRight: active + 1,
      ArrowLeft: active - 1,
      ArrowDown: active + columns,
      ArrowUp: active - columns,
      Home: 0,
      End: last,
    };
    const next = move[event.key];
    if (next !== undefined) {
      event.preventDefault();
      setActive(Math.min(last, Math.max(0, next)));
      return;
    }
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      pick(active);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      close(true);
    } else if (event.key === 'Tab') {
      // The popover lives at the end of the page: Tab goes on from the trigger, in the sidebar's order.
      event.preventDefault();
      close(false);
      if (event.shiftKey) trigger.current?.focus();
      else if (trigger.current) focusAfter(trigger.current);
    }
  };

  return (
    <div className="ss-style">
      <span className="ss-style__label" id={labelId}>
        Style
      </span>
      <button
        ref={trigger}
        type="button"
        className="ss-style__trigger"
        aria-label={`Style: ${current.name ?? current.id}`}
        aria-haspopup="listbox"
        aria-expanded={open}
        aria-controls={open ? listId : undefined}
        data-testid="style-trigger"
        onClick={() => (open ? close(false) : show())}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
            event.preventDefault();
            show();
          }
        }}
      >
        <Thumb id={current.id} className="ss-style__thumb" />
        <span className="ss-style__name">{current.name ?? current.id}</span>
        <ChevronIcon open={false} size={15} className="ss-style__chevron" />
      </button>
      {open
        ? createPortal(
            <div ref={popover} className="ss-style-popover" style={position} data-testid="style-popover">
              <div className="ss-style-popover__title">Style</div>
              <div
                id={listId}
                className="ss-style-popover__grid"
                role="listbox"
                aria-label="Styles"
                onKeyDown={onKeyDown}
              >
                {options.map((option, index) => (
                  <div
                    key={option.id || 'none'}
                    id={`${listId}-${index}`}
                    ref={(el) => {
                      optionRefs.current[index] = el;
                    }}
                    role="option"
                    aria-selected={option.id === value}
                    tabIndex={index === active ? 0 : -1}
                    className={`ss-style-option${option.id === value ? ' ss-style-option--selected' : ''}`}
                    onClick={() => pick(index)}
                  >
                    <span className="ss-style-option__frame">
                      <Thumb id={option.id} className="ss-style-option__thumb" />
                      {option.id === value ? (
                        <span className="ss-style-option__check" aria-hidden="true">
                          <CheckIcon size={12} />
                        </span>
                      ) : null}
                    </span>
                    <span className="ss-style-option__name">{option.name ?? option.id}</span>
                  </div>
                ))}
              </div>
            </div>,
            document.body,
          )
        : null}
    </div>
  );
};

import { useId, useMemo, useRef, useState } from 'react';
import type { KeyboardEvent, ReactElement } from 'react';
import { SearchIcon } from '../Icon';
import { useModal } from '../Modal';
import { commands, viewerKeys } from './commands';
import type { Command } from './commands';
import { keyCaps } from './keys';
import type { Combo } from './keys';
import { closePalette, usePaletteStore } from './paletteStore';

export const Keys = ({ combos }: { combos: Combo[] }): ReactElement => (
  <span className="ss-keys">
    {combos.map((combo, index) => (
      <span key={index} className="ss-keys__combo">
        {index > 0 ? <span className="ss-keys__or">or</span> : null}
        {keyCaps(combo).map((cap) => (
          <kbd key={cap} className="ss-kbd">
            {cap}
          </kbd>
        ))}
      </span>
    ))}
  </span>
);

const matchesFilter = (command: Command, filter: string): boolean => {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  const haystack = `${command.title} ${command.keywords ?? ''}`.toLowerCase();
  return words.every((word) => haystack.includes(word));
};

/** Ctrl/Cmd+K: every action with its keys; type to filter, arrows to pick, Enter to run. */
export const Palette = (): ReactElement => {
  const open = usePaletteStore((s) => s.open);
  const openings = usePaletteStore((s) => s.openings);
  const [filter, setFilter] = useState('');
  const [active, setActive] = useState(0);
  const listId = useId();

  const dialog = useRef<HTMLDialogElement>(null);
  const modal = useModal(dialog, open, openings, () => {
    closePalette();
    setFilter('');
    setActive(0);
  });

  const shown = useMemo(() => commands.filter((command) => matchesFilter(command, filter)), [filter]);
  const current = Math.min(active, Math.max(0, shown.length - 1));

  const run = (command: Command | undefined): void => {
    if (!command) return;
    closePalette();
    // After the dialog has closed and given focus back, so the command can move it.
    window.requestAnimationFrame(() => command.run());
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>): void => {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      setActive((current + 1) % Math.max(1, shown.length));
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      setActive((current - 1 + shown.length) % Math.max(1, shown.length));
    } else if (event.key === 'Home') {
      event.preventDefault();
      setActive(0);
    } else if (event.key === 'End') {
      event.preventDefault();
      setActive(Math.max(0, shown.length - 1));
    } else if (event.key === 'Enter') {
      event.preventDefault();
      run(shown[current]);
    }
  };

  return (
    <dialog
      ref={dialog}
      className="ss-modal ss-palette"
      aria-label="Commands"
      onCancel={modal.onCancel}
      onClose={modal.onClose}
      onClick={(event) => {
        // A click on the backdrop (the dialog itself, outside its box) closes it.
        if (event.target === dialog.current) closePalette();
      }}
    >
      {open ? (
        <div className="ss-palette__box">
          <div className="ss-palette__filter">
            <SearchIcon size={15} className="ss-palette__icon" />
            <input
              className="ss-palette__input"
              role="combobox"
              aria-label="Filter commands"
              aria-expanded="true"
              aria-controls={listId}
              aria-activedescendant={shown[current] ? `${listId}-${shown[current].id}` : undefined}
              placeholder="Type a command…"
              autoComplete="off"
              spellCheck={false}
              value={filter}
              autoFocus
              onChange={(event) => {
                setFilter(event.target.value);
                setActive(0);
              }}
              onKeyDown={onKeyDown}
            />
          </div>
          <ul className="ss-palette__list" role="listbox" id={listId} aria-label="Commands">
            {shown.map((command, index) => (
              <li
                key={command.id}
                id={`${listId}-${command.id}`}
                role="option"
                aria-selected={index === current}
                className={`ss-palette__item${index === current ? ' ss-palette__item--active' : ''}`}
                onMouseMove={() => {
                  if (index !== current) setActive(index);
                }}
                onClick={() => run(command)}
              >
                <span className="ss-palette__title">{command.title}</span>
                {command.keys.length > 0 ? <Keys combos={command.keys} /> : null}
              </li>
            ))}
            {shown.length === 0 ? <li className="ss-palette__none">No command matches “{filter}”</li> : null}
          </ul>
          {/* Not <footer>: outside a sectioning element it is the page's contentinfo landmark. */}
          <div className="ss-palette__footer">
            {viewerKeys.map((entry) => (
              <span key={entry.title} className="ss-palette__hint">
                <Keys combos={entry.keys} /> {entry.title}
              </span>
            ))}
          </div>
        </div>
      ) : null}
    </dialog>
  );
};

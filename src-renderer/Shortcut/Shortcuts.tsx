import { Suspense, lazy, useEffect } from 'react';
import type { ReactElement } from 'react';
import { KeyboardIcon } from '../Icon';
import { lazyPart } from '../Lazy';
import { showError } from '../Toast';
import { commands, paletteCombo } from './commands';
import { isTyping, keyCaps, matches } from './keys';
import { isPaletteOpen, showPalette } from './paletteStore';

/** The palette loads on first use (off the start-up bundle); the keys work from the start. */
const palette = lazyPart(() => import('./Palette'));
const LazyPalette = lazy(() => palette.load().then((loaded) => ({ default: loaded.Palette })));

export const openPalette = (): void => {
  showPalette();
  palette.load().catch((error: unknown) => showError('Could not open the commands', error));
};

/** A modal dialog (settings, large view) owns the keyboard while it is open. */
const dialogOpen = (): boolean => document.querySelector('dialog[open]') !== null;

const onKeyDown = (event: KeyboardEvent): void => {
  if (event.defaultPrevented || event.repeat || event.isComposing) return;
  if (matches(paletteCombo, event)) {
    if (isPaletteOpen() || dialogOpen()) return;
    event.preventDefault();
    openPalette();
    return;
  }
  if (dialogOpen()) return;
  const typing = isTyping(event.target);
  for (const command of commands) {
    if (command.boundElsewhere) continue;
    const combo = command.keys.find((candidate) => matches(candidate, event));
    if (!combo) continue;
    // Plain keys ("/") belong to the field being typed in.
    if (typing && !combo.mod && !combo.alt) return;
    event.preventDefault();
    command.run();
    return;
  }
};

/** The palette and the app-wide keys; mount once. */
export const Shortcuts = (): ReactElement | null => {
  useEffect(() => {
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
  return palette.useRequested() ? (
    <Suspense fallback={null}>
      <LazyPalette />
    </Suspense>
  ) : null;
};

/** The top bar's "Shortcuts ⌘K" button. */
export const ShortcutsButton = (): ReactElement => (
  <button
    type="button"
    className="ss-shortcuts-button"
    aria-keyshortcuts={`${keyCaps(paletteCombo).join('+').replace('⌘', 'Meta').replace('Ctrl', 'Control')}`}
    title="All commands and their keys"
    onClick={openPalette}
  >
    <KeyboardIcon size={16} />
    <span className="ss-shortcuts-button__label">Shortcuts</span>
    {keyCaps(paletteCombo).map((cap) => (
      <kbd key={cap} className="ss-kbd" aria-hidden="true">
        {cap}
      </kbd>
    ))}
  </button>
);

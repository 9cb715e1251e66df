import { Suspense, lazy } from 'react';
import type { ReactElement } from 'react';
import { lazyPart } from '../Lazy';
import { showError } from '../Toast';

/** The Settings dialog, its store and zod load on first use (off the start-up bundle). */
const part = lazyPart(() => import('./part'));
const Dialog = lazy(() => part.load().then((loaded) => ({ default: loaded.SettingsDialog })));

export const openSettings = async (): Promise<void> => {
  try {
    await (await part.load()).openSettings();
  } catch (error) {
    showError('Could not open the settings', error);
  }
};

/** False until the dialog has been opened once. */
export const isSettingsOpen = (): boolean => part.loaded()?.isSettingsOpen() ?? false;

/** Renders nothing until the settings are first opened. */
export const SettingsDialog = ({ onSaved }: { onSaved: () => void }): ReactElement | null =>
  part.useRequested() ? (
    <Suspense fallback={null}>
      <Dialog onSaved={onSaved} />
    </Suspense>
  ) : null;

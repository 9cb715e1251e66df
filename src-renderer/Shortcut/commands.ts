import { retrySync, uploadToCloud } from '../app-services';
import { Form, cancelRunning, dream, isDreaming, randomSeed as drawSeed } from '../Generation';
import { focusSearch, visibleBlocks } from '../History';
import { openSettings } from '../Settings';
import { showError, showInfo } from '../Toast';
import { imagesOf, openImage } from '../Viewer';
import type { Combo } from './keys';

export interface Command {
  id: string;
  title: string;
  /** Words the filter also matches. */
  keywords?: string;
  /** Every combination that runs it; the first is the one shown first. */
  keys: Combo[];
  /** Keys the app already handles elsewhere (listed here, not bound twice). */
  boundElsewhere?: boolean;
  /** Plain keys (no modifier) that still work while typing in a field. */
  whileTyping?: boolean;
  run: () => void;
}

/** The sidebar's fields, found by their accessible names (the sidebar owns its markup). */
const field = (label: string): HTMLElement | null =>
  document.querySelector<HTMLElement>(`.ss-sidebar [aria-label="${label}"]`) ??
  document.querySelector<HTMLElement>(`[aria-label="${label}"]`);

const focusField = (label: string): void => {
  const element = field(label);
  element?.focus();
  if (element instanceof HTMLTextAreaElement || element instanceof HTMLInputElement) {
    const end = element.value.length;
    element.setSelectionRange(end, end);
  }
};

const toggleNegative = (): void => {
  const { negativeOpen } = Form.get();
  Form.set({ negativeOpen: !negativeOpen });
  // Opening it means the user is about to type there.
  if (!negativeOpen) window.requestAnimationFrame(() => focusField('Negative prompt'));
};

const randomSeed = (): void => {
  const seed = drawSeed();
  Form.set({ seed, seedLocked: true });
  showInfo('New random seed', `Seed ${seed} (locked: every Dream uses it until you unlock it).`);
};

const openLastImage = (): void => {
  const newest = imagesOf(visibleBlocks())[0];
  if (newest) openImage(newest.image.id);
  else showInfo('No image yet', 'Dream first; the newest image opens here.');
};

const retry = async (): Promise<void> => {
  try {
    const pending = await retrySync();
    showInfo(
      'Retrying sync',
      pending === 0 ? 'Nothing is waiting: the cloud history is up to date.' : `${pending} waiting.`,
    );
  } catch (error) {
    showError('Could not retry the sync', error);
  }
};

const uploadAll = async (): Promise<void> => {
  try {
    const queued = await uploadToCloud();
    showInfo(
      'Upload to the cloud',
      queued === 0
        ? 'Nothing to upload: every generation on this computer is in the cloud history.'
        : `${queued} ${queued === 1 ? 'generation is' : 'generations are'} on the way to the cloud.`,
    );
  } catch (error) {
    showError('Could not upload to the cloud', error);
  }
};

const cancel = (): void => {
  if (!isDreaming()) {
    showInfo('Nothing to cancel', 'No Dream is running.');
    return;
  }
  void cancelRunning();
};

/** Every action of the studio with its keys: the palette lists these, the key handler runs them. */
export const commands: Command[] = [
  {
    id: 'dream',
    title: 'Dream',
    keywords: 'generate run',
    keys: [{ mod: true, key: 'Enter' }],
    boundElsewhere: true,
    run: () => void dream(),
  },
  { id: 'cancel', title: 'Cancel', keywords: 'stop abort', keys: [{ mod: true, key: '.' }], run: cancel },
  {
    id: 'search',
    title: 'Search prompts',
    keywords: 'find filter history',
    keys: [{ key: '/' }, { mod: true, code: 'KeyF' }],
    run: focusSearch,
  },
  {
    id: 'prompt',
    title: 'Focus prompt',
    keywords: 'type write',
    keys: [{ alt: true, code: 'KeyP' }],
    run: () => focusField('Prompt'),
  },
  { id: 'negative', title: 'Toggle negative prompt', keys: [{ alt: true, code: 'KeyN' }], run: toggleNegative },
  {
    id: 'seed',
    title: 'Random seed',
    keywords: 'dice randomise',
    keys: [{ alt: true, code: 'KeyR' }],
    run: randomSeed,
  },
  {
    id: 'last',
    title: 'Open last image',
    keywords: 'large view newest',
    keys: [{ alt: true, code: 'KeyO' }],
    run: openLastImage,
  },
  {
    id: 'settings',
    title: 'Open settings',
    keywords: 'preferences endpoint model aws',
    keys: [{ mod: true, key: ',' }],
    run: () => void openSettings(),
  },
  { id: 'sync', title: 'Retry sync', keywords: 'cloud upload s3 dynamodb', keys: [], run: () => void retry() },
  {
    id: 'upload',
    title: "Upload this computer's history to the cloud",
    keywords: 'cloud sync s3 dynamodb local share team',
    keys: [],
    run: () => void uploadAll(),
  },
];

/** Shown in the palette, not bound by it: the large view's own keys. */
export const viewerKeys: Array<{ title: string; keys: Combo[] }> = [
  { title: 'Previous / next image (large view)', keys: [{ key: 'ArrowLeft' }, { key: 'ArrowRight' }] },
  { title: 'Close a dialog', keys: [{ key: 'Escape' }] },
];

export const paletteCombo: Combo = { mod: true, code: 'KeyK' };

import { create } from 'zustand';
import { describeError } from '@stability/stablestudio-plugin';
import type { PluginStatus } from '@stability/stablestudio-plugin';
import { getPlugin } from '../Plugin';

interface AppState {
  status?: PluginStatus;
  /** The options sidebar folded away (small windows, high zoom), remembered across restarts. */
  sidebarHidden: boolean;
}

const sidebarKey = 'studio.sidebarHidden';

const storedSidebarHidden = (): boolean => {
  try {
    return localStorage.getItem(sidebarKey) === 'true';
  } catch {
    return false;
  }
};

export const useAppStore = create<AppState>()(() => ({ sidebarHidden: storedSidebarHidden() }));

export const toggleSidebar = (): void => {
  const sidebarHidden = !useAppStore.getState().sidebarHidden;
  useAppStore.setState({ sidebarHidden });
  try {
    localStorage.setItem(sidebarKey, String(sidebarHidden));
  } catch {
    // No storage: the choice lasts this session.
  }
};

/** How often the status pill re-checks on its own. */
export const statusInterval = 60_000;

const readStatus = async (): Promise<void> => {
  try {
    const status = await getPlugin().getStatus?.();
    useAppStore.setState({ status });
  } catch (error) {
    // This runs on a timer: the pill says it, a toast every minute would not help.
    const { message } = describeError(error);
    useAppStore.setState({ status: { indicator: 'error', text: `Status unavailable: ${message}` } });
  }
};

let running = false;
let again = false;

/**
 * Reads the plugin's status (credentials and endpoint health). A call while
 * one is running asks for one more read after it (the settings may have
 * changed in between), never for parallel ones.
 */
export const refreshStatus = async (): Promise<void> => {
  if (running) {
    again = true;
    return;
  }
  running = true;
  try {
    do {
      again = false;
      await readStatus();
    } while (again);
  } finally {
    running = false;
  }
};

let following = false;

/** A finished Dream says the most about an endpoint's health: the pill reads the status again at once. */
export const followStatus = (): void => {
  if (following) return;
  following = true;
  getPlugin().onStableDiffusionProgress?.((progress) => {
    if (progress.type === 'done') void refreshStatus();
  });
};

import { create } from 'zustand';
import type { PluginStatus } from '@stability/stablestudio-plugin';
import { getPlugin } from '../Plugin';
import { showError } from '../Toast';

interface AppState {
  status?: PluginStatus;
}

export const useAppStore = create<AppState>()(() => ({}));

export const refreshStatus = async (): Promise<void> => {
  try {
    const status = await getPlugin().getStatus?.();
    useAppStore.setState({ status });
  } catch (error) {
    useAppStore.setState({ status: { indicator: 'error', text: 'Status unavailable' } });
    showError('Could not read the status', error);
  }
};

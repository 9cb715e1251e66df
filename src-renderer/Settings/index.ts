import './settings.css';
import { useSettingsStore } from './store';

export { SettingsDialog } from './SettingsDialog';
export { openSettings, closeSettings } from './store';

export const useSettingsOpen = (): boolean => useSettingsStore((state) => state.open);
export const isSettingsOpen = (): boolean => useSettingsStore.getState().open;

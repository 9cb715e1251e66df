// First: zod's config, before the contract's settings schemas are built.
import '../Zod';
import './settings.css';
import { useSettingsStore } from './store';

export { SettingsDialog } from './SettingsDialog';
export { openSettings } from './store';

export const isSettingsOpen = (): boolean => useSettingsStore.getState().open;

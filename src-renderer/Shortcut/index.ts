import './shortcut.css';

export { Shortcuts, ShortcutsButton } from './Shortcuts';
export { openPalette } from './Palette';

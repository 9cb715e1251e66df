import './shortcut.css';

export { Shortcuts, ShortcutsButton, openPalette } from './Shortcuts';

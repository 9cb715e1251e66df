import './import.css';

/** The overlay and its listeners start with the app; reading dropped or opened files loads on first use. */
export { DropOverlay } from './DropOverlay';
export { importOpenedFiles } from './commands';

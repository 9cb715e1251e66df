import './import.css';

/** The overlay and its listeners start with the app; reading dropped files loads on the first drop. */
export { DropOverlay } from './DropOverlay';

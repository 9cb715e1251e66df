import './import.css';

export { DropOverlay } from './DropOverlay';
export { applyParameters, importDroppedFiles, readParameters } from './importFile';
export type { ImportedParameters } from './parameters';

import './generation.css';

export { Sidebar as GenerationSidebar } from './Sidebar';
export { Stream as GenerationStream } from './Stream';
export { initGeneration, refreshModels, dream, cancelRunning } from './actions';

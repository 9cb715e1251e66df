import './viewer.css';

export { Viewer as ImageViewer } from './Viewer';
export { ImageActions, useDesktop } from './ImageActions';
export { deleteGeneration, describeDrag, dragOut, reuseBlock, saveAll } from './actions';
export type { ImageTarget } from './actions';
export { openImage, closeViewer, imagesOf } from './store';
export { useImageProblem } from './imageProblem';

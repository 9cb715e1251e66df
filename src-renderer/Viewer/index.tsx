import './viewer.css';
import { Suspense, lazy } from 'react';
import type { ReactElement } from 'react';
import { lazyPart } from '../Lazy';
import { showError } from '../Toast';
import { openImage as showImage } from './store';

/** The large view loads on first use (off the start-up bundle); the grid's image actions do not wait for it. */
const part = lazyPart(() => import('./Viewer'));
const LargeView = lazy(() => part.load().then((loaded) => ({ default: loaded.Viewer })));

/** Opens the large view on this image. */
export const openImage = (imageId: string): void => {
  showImage(imageId);
  part.load().catch((error: unknown) => showError('Could not open the large view', error));
};

/** Renders nothing until an image is first opened. */
export const ImageViewer = (): ReactElement | null =>
  part.useRequested() ? (
    <Suspense fallback={null}>
      <LargeView />
    </Suspense>
  ) : null;

export { ImageActions, useDesktop } from './ImageActions';
export { deleteGeneration, describeDrag, dragOut, reuseBlock, saveAll } from './actions';
export type { ImageTarget } from './actions';
export { closeViewer, imagesOf } from './store';
export { useImageProblem } from './imageProblem';

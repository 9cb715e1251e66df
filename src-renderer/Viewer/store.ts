import { create } from 'zustand';
import type { Block } from '../Generation';
import type { ImageTarget } from './actions';

export interface ViewerStatus {
  id: number;
  tone: 'info' | 'error';
  title: string;
  message?: string;
}

interface ViewerState {
  /** The image shown in the large view; undefined while it is closed. */
  imageId?: string;
  status?: ViewerStatus;
  /** Open requests so far (see useModal). */
  openings: number;
}

export const useViewerStore = create<ViewerState>()(() => ({ openings: 0 }));

/** Every image on screen, newest generation first, in grid order: what the arrow keys step through. */
export const imagesOf = (blocks: Block[]): ImageTarget[] =>
  blocks.flatMap((block) =>
    block.slots.flatMap((slot) => (slot.state === 'ready' ? [{ block, image: slot.image }] : [])),
  );

export const openImage = (imageId: string): void =>
  useViewerStore.setState((s) => ({ imageId, status: undefined, openings: s.openings + 1 }));

export const closeViewer = (): void => useViewerStore.setState({ imageId: undefined, status: undefined });

export const isViewerOpen = (): boolean => useViewerStore.getState().imageId !== undefined;

let nextStatus = 1;

export const setViewerStatus = (status: Omit<ViewerStatus, 'id'> | undefined): void =>
  useViewerStore.setState({ status: status ? { ...status, id: nextStatus++ } : undefined });

import { create } from 'zustand';

interface UploadState {
  /** The name of the file being uploaded, while it is. */
  uploading?: string;
  /** Where files being dragged over the window are: nowhere, elsewhere, or over this section. */
  drag: 'none' | 'window' | 'upload';
}

export const useUploadStore = create<UploadState>()(() => ({ drag: 'none' }));

export const useUploading = (): string | undefined => useUploadStore((s) => s.uploading);
export const useDragState = (): UploadState['drag'] => useUploadStore((s) => s.drag);
export const setDragState = (drag: UploadState['drag']): void => {
  if (useUploadStore.getState().drag !== drag) useUploadStore.setState({ drag });
};

export const isImageFile = (file: File): boolean =>
  file.type.startsWith('image/') || /\.(png|jpe?g|webp)$/i.test(file.name);

/** The first image among some files (a drop or a paste may carry several). */
export const firstImage = (files: Iterable<File>): File | undefined => [...files].find(isImageFile);

/** Marks the element whose pastes and drops always mean "init image". */
export const uploadZoneAttribute = 'data-drop';
export const uploadZoneValue = 'upload';

export const isInUploadZone = (target: EventTarget | null): boolean =>
  target instanceof Element && target.closest(`[${uploadZoneAttribute}="${uploadZoneValue}"]`) !== null;

import { create } from 'zustand';
import { PluginError } from '@stability/stablestudio-plugin';
import { maxInitImageBytes, megabytes } from '../../src-shared/limits';
import { uploadInitImage as storeInitImage } from '../app-services';
import { setInitImage } from '../Generation';
import { showError } from '../Toast';

interface UploadState {
  /** The name of the file being uploaded, while it is. */
  uploading?: string;
  /** Where files being dragged over the window are: nowhere, elsewhere, or over this section. */
  drag: 'none' | 'window' | 'upload';
}

const useUploadStore = create<UploadState>()(() => ({ drag: 'none' }));

export const useUploading = (): string | undefined => useUploadStore((s) => s.uploading);
export const useDragState = (): UploadState['drag'] => useUploadStore((s) => s.drag);
export const setDragState = (drag: UploadState['drag']): void => {
  if (useUploadStore.getState().drag !== drag) useUploadStore.setState({ drag });
};

export const isImageFile = (file: File): boolean =>
  file.type.startsWith('image/') || /\.(png|jpe?g|webp)$/i.test(file.name);

/** The first image among some files (a drop or a paste may carry several). */
export const firstImage = (files: Iterable<File>): File | undefined => [...files].find(isImageFile);

/**
 * Sends the file's bytes to the studio (raw, never base64) and makes it the
 * init image of the next Dream. Returns whether it worked (failures are toasts).
 */
export const uploadInitImage = async (file: File): Promise<boolean> => {
  if (!isImageFile(file)) {
    showError('Not an image', new Error(`${file.name || 'That file'} is not a PNG, JPEG or WebP image.`));
    return false;
  }
  if (file.size > maxInitImageBytes) {
    const limit = megabytes(maxInitImageBytes);
    showError(
      'Image too large',
      new Error(`${file.name || 'That image'} is too large: an init image can be at most ${limit}.`),
    );
    return false;
  }
  useUploadStore.setState({ uploading: file.name || 'image' });
  try {
    const bytes = new Uint8Array(await file.arrayBuffer());
    const result = await storeInitImage(bytes, file.name);
    if (!result.ok) {
      const { code, message, hint } = result.error;
      showError('Could not use that image', new PluginError({ code, message, ...(hint ? { hint } : {}) }));
      return false;
    }
    setInitImage({ kind: 'upload', id: result.value.id }, result.value.url);
    return true;
  } catch (error) {
    showError('Could not read that image', error);
    return false;
  } finally {
    useUploadStore.setState({ uploading: undefined });
  }
};

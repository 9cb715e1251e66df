import { PluginError } from '@stability/stablestudio-plugin';
import { maxInitImageBytes, megabytes } from '../../src-shared/limits';
import { uploadInitImage as storeInitImage } from '../app-services';
import { setInitImage } from '../Generation';
import { showError } from '../Toast';
import { isImageFile, useUploadStore } from './state';

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

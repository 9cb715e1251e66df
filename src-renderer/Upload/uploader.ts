import { lazyPart } from '../Lazy';
import { showError } from '../Toast';

/** The upload itself and the open section's body load on first use (off the start-up bundle). */
export const uploadPart = lazyPart(() => import('./part'));

/**
 * Sends the file to the studio and makes it the init image of the next Dream.
 * Returns whether it worked (failures are toasts).
 */
export const uploadInitImage = async (file: File): Promise<boolean> => {
  try {
    return await (await uploadPart.load()).uploadInitImage(file);
  } catch (error) {
    showError('Could not use that image', error);
    return false;
  }
};

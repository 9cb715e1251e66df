import { useEffect } from 'react';
import { firstImage, isInUploadZone } from './state';
import { uploadInitImage } from './uploader';

const isTextField = (target: EventTarget | null): boolean => {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target instanceof HTMLTextAreaElement) return true;
  return target instanceof HTMLInputElement && !['range', 'checkbox', 'radio', 'button', 'file'].includes(target.type);
};

/**
 * Ctrl/Cmd+V of an image makes it the init image: anywhere when no text field
 * has focus, in the Upload image section always, and in a text field only when
 * the clipboard holds no text (so pasting words into the prompt stays pasting words).
 */
export const usePasteImage = (): void => {
  useEffect(() => {
    const onPaste = (event: ClipboardEvent): void => {
      const data = event.clipboardData;
      if (!data) return;
      const file = firstImage(data.files);
      if (!file) return;
      if (!isInUploadZone(event.target) && isTextField(event.target) && data.types.includes('text/plain')) return;
      event.preventDefault();
      void uploadInitImage(file);
    };
    window.addEventListener('paste', onPaste);
    return () => window.removeEventListener('paste', onPaste);
  }, []);
};

import { useEffect, useState } from 'react';
import type { ReactElement } from 'react';
import { firstImage, isInUploadZone, setDragState, uploadInitImage } from '../Upload';
import { showError } from '../Toast';
import { importFiles } from './commands';

const carriesFiles = (event: DragEvent): boolean => event.dataTransfer?.types.includes('Files') ?? false;

/**
 * Files dragged over the window: an overlay says what a drop does. A drop on
 * the Upload image section sets the init image; anywhere else, a PNG with
 * parameters is imported into the sidebar.
 */
export const DropOverlay = (): ReactElement | null => {
  const [visible, setVisible] = useState(false);

  useEffect(() => {
    const hide = (): void => {
      setVisible(false);
      setDragState('none');
    };
    const onDragOver = (event: DragEvent): void => {
      if (!carriesFiles(event)) return;
      // Without this the browser (or Electron) would open the file in place of the app.
      event.preventDefault();
      const onUpload = isInUploadZone(event.target);
      if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
      setDragState(onUpload ? 'upload' : 'window');
      setVisible(!onUpload);
    };
    const onDragLeave = (event: DragEvent): void => {
      // relatedTarget is null when the pointer leaves the window.
      if (event.relatedTarget === null) hide();
    };
    const onDrop = (event: DragEvent): void => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      hide();
      const files = [...(event.dataTransfer?.files ?? [])];
      if (isInUploadZone(event.target)) {
        const image = firstImage(files);
        if (image) void uploadInitImage(image);
        else showError('Not an image', new Error('Drop a PNG, JPEG or WebP image here.'));
        return;
      }
      void importFiles(files);
    };
    window.addEventListener('dragenter', onDragOver);
    window.addEventListener('dragover', onDragOver);
    window.addEventListener('dragleave', onDragLeave);
    window.addEventListener('drop', onDrop);
    window.addEventListener('dragend', hide);
    return () => {
      window.removeEventListener('dragenter', onDragOver);
      window.removeEventListener('dragover', onDragOver);
      window.removeEventListener('dragleave', onDragLeave);
      window.removeEventListener('drop', onDrop);
      window.removeEventListener('dragend', hide);
    };
  }, []);

  if (!visible) return null;
  return (
    <div className="ss-drop-overlay" data-testid="drop-overlay" aria-live="polite">
      <div className="ss-drop-overlay__card">
        <svg
          width="28"
          height="28"
          viewBox="0 0 24 24"
          fill="none"
          stroke="currentColor"
          strokeWidth={1.8}
          aria-hidden="true"
        >
          <path d="M12 4v11M7 10l5 5 5-5M5 20h14" strokeLinecap="round" strokeLinejoin="round" />
        </svg>
        <p className="ss-drop-overlay__title">Drop a PNG to import its parameters</p>
        <p className="ss-drop-overlay__hint">Or drop it on Upload image, at the left, to start from the picture.</p>
      </div>
    </div>
  );
};

import { Suspense, lazy, useRef } from 'react';
import type { ReactElement } from 'react';
import { Collapsible, Form } from '../Generation';
import { UploadIcon } from './icons';
import { usePasteImage } from './paste';
import { firstImage, uploadZoneValue, useDragState } from './state';
import { uploadInitImage, uploadPart } from './uploader';

const LazyBody = lazy(() => uploadPart.load().then((loaded) => ({ default: loaded.Body })));

/** Upload image: an init image from a file, a paste, a drop or the history, with its strength. */
export const UploadSection = (): ReactElement => {
  const open = Form.use((s) => s.uploadOpen);
  const initImage = Form.use((s) => s.initImage);
  const update = Form.set;
  const drag = useDragState();
  const input = useRef<HTMLInputElement>(null);
  usePasteImage();

  const choose = (): void => {
    if (!open) update({ uploadOpen: true });
    input.current?.click();
  };

  return (
    <Collapsible
      title="Upload image"
      toggleLabel="Upload image section"
      open={open}
      onToggle={() => update({ uploadOpen: !open })}
      className={`ss-upload${drag === 'none' ? '' : ' ss-upload--droppable'}${drag === 'upload' ? ' ss-upload--drag' : ''}`}
      sectionProps={{ 'data-drop': uploadZoneValue }}
      aside={
        <>
          {initImage && !open ? <img className="ss-upload__mini" src={initImage.previewUrl} alt="" /> : null}
          <button
            type="button"
            className="ss-icon-button ss-upload__pick"
            aria-label="Upload image"
            title="Upload image (or paste, or drop one here)"
            onClick={choose}
          >
            <UploadIcon size={15} />
          </button>
          <input
            ref={input}
            type="file"
            accept="image/png,image/jpeg,image/webp"
            hidden
            data-testid="upload-input"
            onChange={(event) => {
              const file = firstImage(event.target.files ?? []);
              event.target.value = '';
              if (file) void uploadInitImage(file);
            }}
          />
        </>
      }
    >
      <Suspense fallback={null}>
        <LazyBody onChoose={choose} />
      </Suspense>
    </Collapsible>
  );
};

import { useRef } from 'react';
import type { ReactElement } from 'react';
import { Collapsible, Form, Slider, selectedModel, takesInitImage } from '../Generation';
import { CloseIcon } from '../Icon';
import { showInfo } from '../Toast';
import { UploadIcon } from './icons';
import { uploadZoneValue, usePasteImage } from './paste';
import { firstImage, uploadInitImage, useDragState, useUploading } from './upload';

const Preview = (): ReactElement | null => {
  const initImage = Form.use((s) => s.initImage);
  const strength = Form.use((s) => s.imageStrength);
  const model = Form.use(selectedModel);
  const update = Form.set;
  if (!initImage) return null;
  const percent = Math.round(strength * 100);
  return (
    <>
      <figure className="ss-upload__preview" data-testid="init-image">
        <img
          src={initImage.previewUrl}
          alt="Init image"
          draggable={false}
          onError={() => {
            // The upload or library image is gone (deleted, or another machine's library).
            update({ initImage: undefined });
            showInfo('The init image is no longer available', 'Upload it again to start from it.');
          }}
        />
        <button
          type="button"
          className="ss-upload__remove"
          aria-label="Remove image"
          title="Remove image"
          onClick={() => update({ initImage: undefined })}
        >
          <CloseIcon size={14} />
        </button>
      </figure>
      <Slider
        label="Strength"
        ariaLabel="Image strength"
        value={percent}
        min={0}
        max={100}
        display={`${percent} %`}
        valueText={`${percent} percent of the image kept`}
        onChange={(v) => update({ imageStrength: v / 100 })}
      />
      {takesInitImage(model) ? null : (
        <p className="ss-upload__note">This model&apos;s payload format does not take an init image.</p>
      )}
    </>
  );
};

/** Upload image: an init image from a file, a paste, a drop or the history, with its strength. */
export const UploadSection = (): ReactElement => {
  const open = Form.use((s) => s.uploadOpen);
  const initImage = Form.use((s) => s.initImage);
  const update = Form.set;
  const uploading = useUploading();
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
      {uploading ? (
        <div className="ss-upload__busy" role="status">
          <span className="ss-spinner" aria-hidden="true" />
          Uploading {uploading}…
        </div>
      ) : null}
      {initImage ? (
        <Preview />
      ) : uploading ? null : (
        <button type="button" className="ss-upload__drop" onClick={choose}>
          <UploadIcon size={20} />
          <span className="ss-upload__drop-title">Drop an image here</span>
          <span className="ss-upload__drop-hint">or paste it, or click to choose a file</span>
        </button>
      )}
    </Collapsible>
  );
};

import type { ReactElement } from 'react';
import { Form, Slider, selectedModel, takesInitImage } from '../Generation';
import { CloseIcon } from '../Icon';
import { showInfo } from '../Toast';
import { UploadIcon } from './icons';
import { useUploading } from './state';

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

/** The open section: the init image with its strength, or where to drop one (loads on first use). */
export const Body = ({ onChoose }: { onChoose: () => void }): ReactElement => {
  const initImage = Form.use((s) => s.initImage);
  const uploading = useUploading();
  return (
    <>
      {uploading ? (
        <div className="ss-upload__busy" role="status">
          <span className="ss-spinner" aria-hidden="true" />
          Uploading {uploading}…
        </div>
      ) : null}
      {initImage ? (
        <Preview />
      ) : uploading ? null : (
        <button type="button" className="ss-upload__drop" onClick={onChoose}>
          <UploadIcon size={20} />
          <span className="ss-upload__drop-title">Drop an image here</span>
          <span className="ss-upload__drop-hint">or paste it, or click to choose a file</span>
        </button>
      )}
    </>
  );
};

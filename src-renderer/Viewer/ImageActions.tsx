import { useEffect, useState } from 'react';
import type { ReactElement, ReactNode } from 'react';
import { editImage } from '../Edit';
import { DownloadIcon, PencilIcon, ReuseIcon, TrashIcon } from '../Icon';
import { isDesktop } from '../app-services';
import { CopyIcon, ExpandIcon, FolderIcon, ImageInIcon, SparkleIcon } from './icons';
import {
  copyImage,
  deleteImage,
  makeVariations,
  revealInFolder,
  reuseImageParameters,
  saveImage,
  toastReporter,
  setAsInitImage,
} from './actions';
import type { ImageTarget, Reporter } from './actions';
import { closeViewer } from './store';

/** Opens the image in the Edit tab as a new layer (the large view closes, the Edit tab shows). */
const editInEditor = ({ block, image }: ImageTarget): void => {
  if (!block.id) return;
  closeViewer();
  editImage({ generationId: block.id, imageId: image.id, name: block.prompt });
};

let known: boolean | undefined;

/** Whether desktop-only actions (reveal, native drag) exist here; false until known. */
export const useDesktop = (): boolean => {
  const [desktop, setDesktop] = useState(known ?? false);
  useEffect(() => {
    if (known !== undefined) return;
    let live = true;
    void isDesktop().then((value) => {
      known = value;
      if (live) setDesktop(value);
    });
    return () => {
      live = false;
    };
  }, []);
  return desktop;
};

const Action = ({
  label,
  onClick,
  children,
  danger,
  showLabel,
}: {
  label: string;
  onClick: () => void;
  children: ReactNode;
  danger?: boolean;
  showLabel?: boolean;
}): ReactElement => (
  <button
    type="button"
    className={`ss-action${danger ? ' ss-action--danger' : ''}${showLabel ? ' ss-action--labelled' : ''}`}
    aria-label={label}
    title={label}
    onClick={onClick}
  >
    {children}
    {showLabel ? <span aria-hidden="true">{label}</span> : null}
  </button>
);

/**
 * Everything one can do with an image: on the grid (icons, on hover or focus)
 * and in the large view (icons with their names).
 */
export const ImageActions = ({
  target,
  onOpen,
  report = toastReporter,
  className,
  labelled = false,
  onBeforeDelete,
  onVariations,
}: {
  target: ImageTarget;
  onOpen?: () => void;
  report?: Reporter;
  className?: string;
  labelled?: boolean;
  /** The large view steps to a neighbour first. */
  onBeforeDelete?: () => void;
  onVariations?: () => void;
}): ReactElement => {
  const desktop = useDesktop();
  const size = 15;
  return (
    <div className={className} role="group" aria-label="Image actions">
      {onOpen ? (
        <Action label="Open" onClick={onOpen} showLabel={labelled}>
          <ExpandIcon size={size} />
        </Action>
      ) : null}
      <Action label="Save as PNG" onClick={() => saveImage(target)} showLabel={labelled}>
        <DownloadIcon size={size} />
      </Action>
      <Action label="Copy image" onClick={() => void copyImage(target, report)} showLabel={labelled}>
        <CopyIcon size={size} />
      </Action>
      {desktop ? (
        <Action label="Reveal in folder" onClick={() => void revealInFolder(target, report)} showLabel={labelled}>
          <FolderIcon size={size} />
        </Action>
      ) : null}
      {target.block.id ? (
        <Action label="Edit" onClick={() => editInEditor(target)} showLabel={labelled}>
          <PencilIcon size={size} />
        </Action>
      ) : null}
      <Action label="Reuse parameters" onClick={() => reuseImageParameters(target, report)} showLabel={labelled}>
        <ReuseIcon size={size} />
      </Action>
      <Action label="Use as init image" onClick={() => setAsInitImage(target, report)} showLabel={labelled}>
        <ImageInIcon size={size} />
      </Action>
      <Action
        label="Variations"
        onClick={() => {
          onVariations?.();
          makeVariations(target, report);
        }}
        showLabel={labelled}
      >
        <SparkleIcon size={size} />
      </Action>
      <Action
        label="Delete image"
        onClick={() => {
          onBeforeDelete?.();
          void deleteImage(target, report);
        }}
        danger
        showLabel={labelled}
      >
        <TrashIcon size={size} />
      </Action>
    </div>
  );
};

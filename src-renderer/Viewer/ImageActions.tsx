import { useEffect, useState } from 'react';
import type { ReactElement, ReactNode } from 'react';
import { editImage, openInEdit } from '../Edit';
import { DownloadIcon, PencilIcon, ReuseIcon, TrashIcon } from '../Icon';
import { isDesktop } from '../app-services';
import { Form, upscalerOf } from '../Generation';
import { CopyIcon, ExpandIcon, FolderIcon, ImageInIcon, SparkleIcon, UpscaleIcon } from './icons';
import {
  copyImage,
  deleteImage,
  makeVariations,
  revealInFolder,
  reuseImageParameters,
  saveImage,
  toastReporter,
  setAsInitImage,
  upscale,
} from './actions';
import type { ImageTarget, Reporter } from './actions';
import { closeViewer } from './store';

/** Opens the image in the Edit tab as a new layer (the large view closes, the Edit tab shows). */
const editInEditor = ({ block, image }: ImageTarget): void => {
  if (!block.id) return;
  closeViewer();
  editImage({ generationId: block.id, imageId: image.id, name: block.prompt });
};

/** Reopens an edit (its source image and its box) in the Edit tab. */
const reopenEdit = ({ block }: ImageTarget): void => {
  if (!block.sources) return;
  closeViewer();
  openInEdit({ sourceSrc: block.sources.src, name: block.prompt, input: block.input, count: block.slots.length });
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

interface ActionItem {
  label: string;
  icon: ReactNode;
  onClick: () => void;
  danger?: boolean;
}

const Action = ({
  item,
  name,
  showLabel,
  tabIndex,
}: {
  item: ActionItem;
  name: string;
  showLabel: boolean;
  tabIndex?: number;
}): ReactElement => (
  <button
    type="button"
    className={`ss-action${item.danger ? ' ss-action--danger' : ''}${showLabel ? ' ss-action--labelled' : ''}`}
    aria-label={name}
    title={item.label}
    tabIndex={tabIndex}
    onClick={item.onClick}
  >
    {item.icon}
    {showLabel ? <span aria-hidden="true">{item.label}</span> : null}
  </button>
);

const roving: Record<string, (index: number, last: number) => number> = {
  ArrowRight: (index, last) => (index >= last ? 0 : index + 1),
  ArrowDown: (index, last) => (index >= last ? 0 : index + 1),
  ArrowLeft: (index, last) => (index <= 0 ? last : index - 1),
  ArrowUp: (index, last) => (index <= 0 ? last : index - 1),
  Home: () => 0,
  End: (_index, last) => last,
};

/**
 * Everything one can do with an image: on the grid (icons, on hover or focus) and in the large
 * view (icons with their names). On the grid each image is one Tab stop: the actions are a
 * toolbar whose buttons the arrow keys step through, each named for its image ("Open (image 2 of 4)").
 */
export const ImageActions = ({
  target,
  onOpen,
  report = toastReporter,
  className,
  labelled = false,
  position,
  onBeforeDelete,
  onVariations,
}: {
  target: ImageTarget;
  onOpen?: () => void;
  report?: Reporter;
  className?: string;
  labelled?: boolean;
  /** On the grid: "image 2 of 4", for names that tell the images apart and a single Tab stop. */
  position?: string;
  /** The large view steps to a neighbour first. */
  onBeforeDelete?: () => void;
  onVariations?: () => void;
}): ReactElement => {
  const desktop = useDesktop();
  const canUpscale = Form.use((s) => upscalerOf(s.models) !== undefined);
  const [active, setActive] = useState(0);
  const size = 15;
  const items: ActionItem[] = [
    ...(onOpen ? [{ label: 'Open', icon: <ExpandIcon size={size} />, onClick: onOpen }] : []),
    { label: 'Save as PNG', icon: <DownloadIcon size={size} />, onClick: () => saveImage(target) },
    { label: 'Copy image', icon: <CopyIcon size={size} />, onClick: () => void copyImage(target, report) },
    ...(desktop
      ? [
          {
            label: 'Reveal in folder',
            icon: <FolderIcon size={size} />,
            onClick: () => void revealInFolder(target, report),
          },
        ]
      : []),
    ...(target.block.id
      ? [{ label: 'Edit', icon: <PencilIcon size={size} />, onClick: () => editInEditor(target) }]
      : []),
    ...(target.block.sources
      ? [{ label: 'Open in Edit', icon: <PencilIcon size={size} />, onClick: () => reopenEdit(target) }]
      : []),
    {
      label: 'Reuse parameters',
      icon: <ReuseIcon size={size} />,
      onClick: () => reuseImageParameters(target, report),
    },
    { label: 'Use as init image', icon: <ImageInIcon size={size} />, onClick: () => setAsInitImage(target, report) },
    {
      label: 'Variations',
      icon: <SparkleIcon size={size} />,
      onClick: () => {
        onVariations?.();
        makeVariations(target, report);
      },
    },
    ...(canUpscale && target.block.id
      ? [
          {
            label: 'Upscale ×4',
            icon: <UpscaleIcon size={size} />,
            onClick: () => {
              // The large view closes onto the new generation only when it started.
              if (upscale(target, report)) onVariations?.();
            },
          },
        ]
      : []),
    {
      label: 'Delete image',
      icon: <TrashIcon size={size} />,
      danger: true,
      onClick: () => {
        onBeforeDelete?.();
        void deleteImage(target, report);
      },
    },
  ];
  if (!position) {
    return (
      <div className={className} role="group" aria-label="Image actions">
        {items.map((item) => (
          <Action key={item.label} item={item} name={item.label} showLabel={labelled} />
        ))}
      </div>
    );
  }
  const current = Math.min(active, items.length - 1);
  return (
    <div
      className={className}
      role="toolbar"
      aria-label={`Actions for ${position}`}
      onKeyDown={(event) => {
        const move = roving[event.key];
        if (!move) return;
        event.preventDefault();
        event.stopPropagation();
        const next = move(current, items.length - 1);
        setActive(next);
        event.currentTarget.querySelectorAll<HTMLButtonElement>('button')[next]?.focus();
      }}
    >
      {items.map((item, index) => (
        <Action
          key={item.label}
          item={item}
          name={`${item.label} (${position})`}
          showLabel={labelled}
          tabIndex={index === current ? 0 : -1}
        />
      ))}
    </div>
  );
};

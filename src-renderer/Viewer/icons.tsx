import type { ReactElement } from 'react';
import { Stroke } from '../Icon';
import type { IconProps } from '../Icon';

export const ExpandIcon = (props: IconProps): ReactElement => (
  <Stroke {...props}>
    <path d="M14 4h6v6M10 20H4v-6M20 4l-7 7M4 20l7-7" />
  </Stroke>
);

export const CopyIcon = (props: IconProps): ReactElement => (
  <Stroke {...props}>
    <rect x="8" y="8" width="12" height="12" rx="2" />
    <path d="M16 8V6a2 2 0 0 0-2-2H6a2 2 0 0 0-2 2v8a2 2 0 0 0 2 2h2" />
  </Stroke>
);

export const FolderIcon = (props: IconProps): ReactElement => (
  <Stroke {...props}>
    <path d="M3 7a2 2 0 0 1 2-2h4l2 2h8a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2z" />
  </Stroke>
);

export const SlidersIcon = (props: IconProps): ReactElement => (
  <Stroke {...props}>
    <path d="M4 7h10M18 7h2M4 17h4M12 17h8" />
    <circle cx="16" cy="7" r="2" />
    <circle cx="10" cy="17" r="2" />
  </Stroke>
);

export const ImageInIcon = (props: IconProps): ReactElement => (
  <Stroke {...props}>
    <rect x="3" y="4" width="18" height="16" rx="2" />
    <circle cx="9" cy="10" r="1.6" />
    <path d="m21 16-5-5-9 9" />
  </Stroke>
);

export const SparkleIcon = (props: IconProps): ReactElement => (
  <Stroke {...props}>
    <path d="M12 3l1.8 4.7L18.5 9.5l-4.7 1.8L12 16l-1.8-4.7L5.5 9.5l4.7-1.8z" />
    <path d="M18.5 15.5l.8 2 2 .8-2 .8-.8 2-.8-2-2-.8 2-.8z" />
  </Stroke>
);

export const ArrowIcon = ({ direction, ...props }: IconProps & { direction: 'left' | 'right' }): ReactElement => (
  <Stroke {...props}>
    <path d={direction === 'left' ? 'm15 5-7 7 7 7' : 'm9 5 7 7-7 7'} />
  </Stroke>
);

/** A small square growing into a large one: Upscale ×4. */
export const UpscaleIcon = (props: IconProps): ReactElement => (
  <Stroke {...props}>
    <rect x="3" y="13" width="8" height="8" rx="1" />
    <path d="M3 9V5a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2v14a2 2 0 0 1-2 2h-4M14 10l4-4M14 6h4v4" />
  </Stroke>
);

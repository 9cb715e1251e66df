import type { ReactElement } from 'react';
import { Stroke } from '../Icon';
import type { IconProps } from '../Icon';

export const PointerIcon = (props: IconProps): ReactElement => (
  <Stroke {...props}>
    <path d="M5 3l6 17 2.5-7L21 10.5z" />
  </Stroke>
);

export const HandIcon = (props: IconProps): ReactElement => (
  <Stroke {...props}>
    <path d="M8 13V5.5a1.5 1.5 0 0 1 3 0V12" />
    <path d="M11 11.5v-7a1.5 1.5 0 0 1 3 0V12" />
    <path d="M14 6.5a1.5 1.5 0 0 1 3 0V12" />
    <path d="M17 8.5a1.5 1.5 0 0 1 3 0V15a6 6 0 0 1-6 6h-1.5a6 6 0 0 1-4.9-2.5L4.3 15a1.5 1.5 0 0 1 2.4-1.8L8 15" />
  </Stroke>
);

export const UndoIcon = (props: IconProps): ReactElement => (
  <Stroke {...props}>
    <path d="M9 14L4 9l5-5" />
    <path d="M4 9h10.5a5.5 5.5 0 0 1 0 11H11" />
  </Stroke>
);

export const RedoIcon = (props: IconProps): ReactElement => (
  <Stroke {...props}>
    <path d="M15 14l5-5-5-5" />
    <path d="M20 9H9.5a5.5 5.5 0 0 0 0 11H13" />
  </Stroke>
);

export const ZoomInIcon = (props: IconProps): ReactElement => (
  <Stroke {...props}>
    <circle cx="11" cy="11" r="7" />
    <path d="M21 21l-4.3-4.3M11 8v6M8 11h6" />
  </Stroke>
);

export const ZoomOutIcon = (props: IconProps): ReactElement => (
  <Stroke {...props}>
    <circle cx="11" cy="11" r="7" />
    <path d="M21 21l-4.3-4.3M8 11h6" />
  </Stroke>
);

export const FitIcon = (props: IconProps): ReactElement => (
  <Stroke {...props}>
    <path d="M4 9V4h5M15 4h5v5M20 15v5h-5M9 20H4v-5" />
  </Stroke>
);

export const EyeIcon = ({ off, ...props }: IconProps & { off: boolean }): ReactElement => (
  <Stroke {...props}>
    <path d="M2 12s3.5-7 10-7 10 7 10 7-3.5 7-10 7S2 12 2 12z" />
    <circle cx="12" cy="12" r="3" />
    {off ? <path d="M4 4l16 16" /> : null}
  </Stroke>
);

export const LockIcon = ({ open, ...props }: IconProps & { open: boolean }): ReactElement => (
  <Stroke {...props}>
    <rect x="5" y="11" width="14" height="10" rx="2" />
    <path d={open ? 'M8 11V7a4 4 0 0 1 7.5-2' : 'M8 11V7a4 4 0 0 1 8 0v4'} />
  </Stroke>
);

export const ArrowUpIcon = (props: IconProps): ReactElement => (
  <Stroke {...props}>
    <path d="M12 19V5M6 11l6-6 6 6" />
  </Stroke>
);

export const ArrowDownIcon = (props: IconProps): ReactElement => (
  <Stroke {...props}>
    <path d="M12 5v14M6 13l6 6 6-6" />
  </Stroke>
);

export const ImagePlusIcon = (props: IconProps): ReactElement => (
  <Stroke {...props}>
    <rect x="3" y="5" width="14" height="14" rx="2" />
    <path d="M3 15l4-4 4 4 2-2 4 4M20 3v6M17 6h6" />
  </Stroke>
);

export const BrushIcon = (props: IconProps): ReactElement => (
  <Stroke {...props}>
    <path d="M18.4 2.6a2 2 0 0 1 2.9 2.9L12 14.8 9.2 12z" />
    <path d="M7 14c-2 0-3.5 1.5-3.5 3.5 0 1.5-.8 2.5-2 3 4.5 1 8.5-.5 8.5-4z" />
  </Stroke>
);

export const EraserIcon = (props: IconProps): ReactElement => (
  <Stroke {...props}>
    <path d="M7 21l-4.3-4.3a1 1 0 0 1 0-1.4l10-10a1 1 0 0 1 1.4 0l5.6 5.6a1 1 0 0 1 0 1.4L12 20.9" />
    <path d="M7 21h14" />
    <path d="M6.5 11.5l6 6" />
  </Stroke>
);

export const BoxIcon = (props: IconProps): ReactElement => (
  <Stroke {...props}>
    <path d="M4 8V5a1 1 0 0 1 1-1h3M16 4h3a1 1 0 0 1 1 1v3M20 16v3a1 1 0 0 1-1 1h-3M8 20H5a1 1 0 0 1-1-1v-3" />
    <path d="M12 9v6M9 12h6" />
  </Stroke>
);

export const ChevronIcon = ({ left, ...props }: IconProps & { left: boolean }): ReactElement => (
  <Stroke {...props}>
    <path d={left ? 'M15 5l-7 7 7 7' : 'M9 5l7 7-7 7'} />
  </Stroke>
);

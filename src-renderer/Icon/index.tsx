import type { ReactElement, ReactNode } from 'react';

export interface IconProps {
  size?: number;
  className?: string;
}

/** Stroke icons on a 24×24 grid, decorative (hidden from assistive tech). */
export const Stroke = ({ size = 16, className, children }: IconProps & { children: ReactNode }): ReactElement => (
  <svg
    width={size}
    height={size}
    viewBox="0 0 24 24"
    fill="none"
    stroke="currentColor"
    strokeWidth={1.8}
    strokeLinecap="round"
    strokeLinejoin="round"
    aria-hidden="true"
    focusable="false"
    className={className}
  >
    {children}
  </svg>
);

export const GearIcon = (props: IconProps): ReactElement => (
  <Stroke {...props}>
    <circle cx="12" cy="12" r="3" />
    <path d="M19.4 15a1.7 1.7 0 0 0 .34 1.87l.06.06a2 2 0 1 1-2.83 2.83l-.06-.06a1.7 1.7 0 0 0-1.87-.34 1.7 1.7 0 0 0-1.04 1.56V21a2 2 0 1 1-4 0v-.09a1.7 1.7 0 0 0-1.1-1.56 1.7 1.7 0 0 0-1.87.34l-.06.06a2 2 0 1 1-2.83-2.83l.06-.06a1.7 1.7 0 0 0 .34-1.87 1.7 1.7 0 0 0-1.56-1.04H3a2 2 0 1 1 0-4h.09a1.7 1.7 0 0 0 1.56-1.1 1.7 1.7 0 0 0-.34-1.87l-.06-.06a2 2 0 1 1 2.83-2.83l.06.06a1.7 1.7 0 0 0 1.87.34H9a1.7 1.7 0 0 0 1.04-1.56V3a2 2 0 1 1 4 0v.09a1.7 1.7 0 0 0 1.04 1.56 1.7 1.7 0 0 0 1.87-.34l.06-.06a2 2 0 1 1 2.83 2.83l-.06.06a1.7 1.7 0 0 0-.34 1.87V9a1.7 1.7 0 0 0 1.56 1.04H21a2 2 0 1 1 0 4h-.09a1.7 1.7 0 0 0-1.56 1.04z" />
  </Stroke>
);

export const ChevronIcon = ({ open, ...props }: IconProps & { open: boolean }): ReactElement => (
  <Stroke
    {...props}
    className={`ss-chevron${open ? ' ss-chevron--open' : ''}${props.className ? ` ${props.className}` : ''}`}
  >
    <path d="m9 6 6 6-6 6" />
  </Stroke>
);

export const GridIcon = (props: IconProps): ReactElement => (
  <Stroke {...props}>
    <rect x="3.5" y="3.5" width="7" height="7" rx="1.5" />
    <rect x="13.5" y="3.5" width="7" height="7" rx="1.5" />
    <rect x="3.5" y="13.5" width="7" height="7" rx="1.5" />
    <rect x="13.5" y="13.5" width="7" height="7" rx="1.5" />
  </Stroke>
);

export const SidebarIcon = (props: IconProps): ReactElement => (
  <Stroke {...props}>
    <rect x="3.5" y="4.5" width="17" height="15" rx="2" />
    <path d="M9.5 4.5v15" />
  </Stroke>
);

export const PencilIcon = (props: IconProps): ReactElement => (
  <Stroke {...props}>
    <path d="M12 20h9" />
    <path d="M16.5 3.5a2.12 2.12 0 0 1 3 3L7 19l-4 1 1-4z" />
  </Stroke>
);

export const MoonIcon = (props: IconProps): ReactElement => (
  <Stroke {...props}>
    <path d="M20 14.5A8 8 0 1 1 9.5 4a6.5 6.5 0 0 0 10.5 10.5z" />
  </Stroke>
);

export const ReuseIcon = (props: IconProps): ReactElement => (
  <Stroke {...props}>
    <circle cx="12" cy="12" r="9" />
    <path d="m11 8-4 4 4 4" />
    <path d="M7 12h10" />
  </Stroke>
);

export const CloseIcon = (props: IconProps): ReactElement => (
  <Stroke {...props}>
    <path d="M18 6 6 18M6 6l12 12" />
  </Stroke>
);

export const PlusIcon = (props: IconProps): ReactElement => (
  <Stroke {...props}>
    <path d="M12 5v14M5 12h14" />
  </Stroke>
);

export const TrashIcon = (props: IconProps): ReactElement => (
  <Stroke {...props}>
    <path d="M3 6h18" />
    <path d="M8 6V4h8v2" />
    <path d="M19 6l-1 14H6L5 6" />
  </Stroke>
);

export const StopIcon = (props: IconProps): ReactElement => (
  <Stroke {...props}>
    <rect x="6" y="6" width="12" height="12" rx="2" />
  </Stroke>
);

export const CheckIcon = (props: IconProps): ReactElement => (
  <Stroke {...props}>
    <path d="m5 12.5 4.5 4.5L19 7.5" />
  </Stroke>
);

export const ClipboardIcon = (props: IconProps): ReactElement => (
  <Stroke {...props}>
    <rect x="5.5" y="4.5" width="13" height="16" rx="2" />
    <path d="M9 4.5V3.8c0-.7.6-1.3 1.3-1.3h3.4c.7 0 1.3.6 1.3 1.3v.7M9 10h6M9 14h6" />
  </Stroke>
);

export const SearchIcon = (props: IconProps): ReactElement => (
  <Stroke {...props}>
    <circle cx="11" cy="11" r="6" />
    <path d="m20 20-4.2-4.2" />
  </Stroke>
);

export const AlertIcon = (props: IconProps): ReactElement => (
  <Stroke {...props}>
    <circle cx="12" cy="12" r="9" />
    <path d="M12 7.5v5.5M12 16.5v.01" />
  </Stroke>
);

export const DownloadIcon = (props: IconProps): ReactElement => (
  <Stroke {...props}>
    <path d="M12 4v11" />
    <path d="m7 10 5 5 5-5" />
    <path d="M5 20h14" />
  </Stroke>
);

export const ServerIcon = (props: IconProps): ReactElement => (
  <Stroke {...props}>
    <rect x="3.5" y="4" width="17" height="7" rx="1.5" />
    <rect x="3.5" y="13" width="17" height="7" rx="1.5" />
    <path d="M7 7.5h.01M7 16.5h.01" />
  </Stroke>
);

/** The app logo: a soft heptagon, StableStudio's silhouette drawn our own way. */
export const LogoIcon = ({ size = 22, className }: IconProps): ReactElement => (
  <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" focusable="false" className={className}>
    <defs>
      <linearGradient id="ss-logo-fill" x1="0" y1="0" x2="1" y2="1">
        <stop offset="0" stopColor="#f4f4f6" />
        <stop offset="1" stopColor="#c9c9d1" />
      </linearGradient>
    </defs>
    <path
      d="M16 2.5c.9 0 1.7.3 2.4.8l8 6.3c.8.6 1.3 1.5 1.4 2.5l.9 9.6c.1 1-.3 2-1 2.7l-6.4 5.3c-.7.5-1.5.8-2.3.8h-5.9c-.9 0-1.7-.3-2.3-.8L4.3 24.4c-.7-.7-1.1-1.7-1-2.7l.9-9.6c.1-1 .6-1.9 1.4-2.5l8-6.3c.7-.5 1.5-.8 2.4-.8z"
      fill="url(#ss-logo-fill)"
    />
  </svg>
);

export const CloudIcon = (props: IconProps): ReactElement => (
  <Stroke {...props}>
    <path d="M7 18a4 4 0 0 1-.6-7.96A5.5 5.5 0 0 1 17 8.5a4.75 4.75 0 0 1 .5 9.5z" />
  </Stroke>
);

export const RefreshIcon = (props: IconProps): ReactElement => (
  <Stroke {...props}>
    <path d="M20 11a8 8 0 0 0-14.9-3.5M4 5v4h4" />
    <path d="M4 13a8 8 0 0 0 14.9 3.5M20 19v-4h-4" />
  </Stroke>
);

export const KeyboardIcon = (props: IconProps): ReactElement => (
  <Stroke {...props}>
    <rect x="2.5" y="6" width="19" height="12" rx="2" />
    <path d="M6 10h.01M10 10h.01M14 10h.01M18 10h.01M7 14h10" />
  </Stroke>
);

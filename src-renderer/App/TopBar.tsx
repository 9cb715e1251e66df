import type { ReactElement } from 'react';
import { GearIcon, LogoIcon, SidebarIcon } from '../Icon';
import { ShortcutsButton } from '../Shortcut';
import { SignInChip } from '../SignIn';
import { toggleSidebar, useAppStore } from './store';

/** Credentials and endpoint health in one line; a click opens Settings, where it can be fixed. */
const StatusPill = ({ onClick }: { onClick: () => void }): ReactElement | null => {
  const status = useAppStore((s) => s.status);
  if (!status?.text) return null;
  return (
    <button
      type="button"
      className={`ss-status ss-status--${status.indicator ?? 'info'}`}
      data-testid="status"
      title={`${status.text} (open Settings)`}
      onClick={onClick}
    >
      <span className="ss-status__dot" aria-hidden="true" />
      <span className="ss-status__text">{status.text}</span>
    </button>
  );
};

/** Folds the options sidebar away, so small windows and high zoom leave room for the history. */
const SidebarToggle = (): ReactElement => {
  const hidden = useAppStore((s) => s.sidebarHidden);
  return (
    <button
      type="button"
      className="ss-icon-button"
      aria-label="Options sidebar"
      aria-expanded={!hidden}
      title={hidden ? 'Show the options sidebar' : 'Hide the options sidebar'}
      onClick={toggleSidebar}
    >
      <SidebarIcon size={17} />
    </button>
  );
};

export const TopBar = ({ onSettings }: { onSettings: () => void }): ReactElement => (
  <header className="ss-topbar">
    <div className="ss-topbar__brand">
      <SidebarToggle />
      <LogoIcon size={22} />
      <span className="ss-topbar__name">StableStudio</span>
    </div>
    <div className="ss-topbar__right">
      <SignInChip />
      <StatusPill onClick={onSettings} />
      <ShortcutsButton />
      <button
        type="button"
        className="ss-icon-button"
        aria-label="App settings"
        title="App settings: models, sign-in, storage"
        onClick={onSettings}
      >
        <GearIcon size={17} />
      </button>
    </div>
  </header>
);

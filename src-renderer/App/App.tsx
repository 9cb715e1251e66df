import { useEffect } from 'react';
import type { ReactElement } from 'react';
import { dream, initGeneration, refreshModels, reloadHistory } from '../Generation';
import { DreamAnnouncer, GenerationSidebar, GenerationStream } from '../Generate';
import { SettingsDialog, isSettingsOpen, openSettings } from '../Settings';
import { DropOverlay, importOpenedFiles } from '../Import';
import { EditWorkspace, currentWorkspace, useWorkspace } from '../Edit';
import { isDesktop, onAppCommand } from '../app-services';
import { Toasts } from '../Toast';
import { followLibrary } from '../History';
import { watchGenerations } from '../Notify';
import { Shortcuts } from '../Shortcut';
import { followSignIn } from '../SignIn';
import { ImageViewer } from '../Viewer';
import { followStatus, refreshStatus, statusInterval, useAppStore } from './store';
import { TopBar } from './TopBar';
import { keepFocusOnThePage } from './focusRescue';
import { SkipLinks } from './SkipLinks';

const open = (): void => void openSettings();

let started = false;

/** First run without a model: take the user straight to the settings. */
const start = async (): Promise<void> => {
  if (started) return;
  started = true;
  void refreshStatus();
  followStatus();
  followLibrary();
  // Another user is another identity: another default project, another history.
  followSignIn(() => {
    void reloadHistory();
    void refreshStatus();
  });
  watchGenerations();
  followAppCommands();
  keepFocusOnThePage();
  const models = await initGeneration();
  // Files the app was started with ("Open with"), held until the page could take them.
  if (await isDesktop()) void importOpenedFiles();
  if (models?.length === 0) void openSettings();
};

/** Desktop: the app menu and the dock ask for what only the page can do. */
const followAppCommands = (): void => {
  onAppCommand((command) => {
    if (command === 'openSettings') void openSettings();
    else if (command === 'dream') void dream();
    else void importOpenedFiles();
  });
};

const onSaved = (): void => {
  void refreshModels();
  // Another project or storage mode means another history.
  void reloadHistory();
  void refreshStatus();
};

export const App = (): ReactElement => {
  const workspace = useWorkspace();
  const sidebarHidden = useAppStore((s) => s.sidebarHidden);
  useEffect(() => {
    void start();
  }, []);

  // Endpoints change state on their own (Creating → InService); a quiet re-check now and then.
  useEffect(() => {
    const timer = window.setInterval(() => {
      if (!document.hidden) void refreshStatus();
    }, statusInterval);
    return () => window.clearInterval(timer);
  }, []);

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.key !== 'Enter' || !(event.ctrlKey || event.metaKey) || event.repeat) return;
      // Dream belongs to the Generate tab: the Edit tab has no Dream yet.
      if (isSettingsOpen() || currentWorkspace() !== 'generate') return;
      event.preventDefault();
      void dream();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);

  return (
    <div className="ss-app">
      <SkipLinks generate={workspace === 'generate'} />
      <TopBar onSettings={open} />
      <div className={`ss-body${sidebarHidden ? ' ss-body--no-sidebar' : ''}`}>
        {workspace === 'generate' ? <GenerationSidebar /> : <EditWorkspace />}
        {/* Kept while Edit is shown (hidden), so the history keeps its place and its pages. */}
        <div className="ss-stream-slot" hidden={workspace !== 'generate'}>
          <GenerationStream onConfigure={open} />
        </div>
      </div>
      <SettingsDialog onSaved={onSaved} />
      <ImageViewer />
      <Shortcuts />
      <DropOverlay />
      <Toasts />
      <DreamAnnouncer />
    </div>
  );
};

import { join } from 'node:path';
import { AwsClients } from './aws/clients';
import { CloudLibrary } from './cloud/cloud-library';
import { ConnectionService } from './connection/service';
import { DesktopService } from './desktop/service';
import { EditorService } from './editor/service';
import { SendToHistory } from './generation/send-to-history';
import type { DesktopActions } from './desktop/service';
import { createDispatcher } from './dispatch';
import type { Dispatch } from './dispatch';
import { EventBus } from './events';
import { ensurePrivateRoot } from './fs-atomic';
import { InProgress } from './generation/in-progress';
import { GenerationService } from './generation/service';
import type { Handlers } from './handlers';
import { HistoryService } from './history/service';
import { GenerationView } from './history/view';
import type { ImageUrl } from './history/view';
import { ImageService } from './images/service';
import { LocalLibrary } from './library/local-library';
import { log, logEvent } from './log';
import { AuthService } from './auth/service';
import type { AuthOptions } from './auth/service';
import { FileSecretStore, MemorySecretStore } from './auth/session';
import { Uploads } from './library/uploads';
import { SettingsService } from './settings';
import type { SettingsBackend } from './settings';
import { StateStore } from './state-store';
import { SyncService } from './sync/service';

export interface CoreOptions {
  /** The user-data directory: the library lives in `<dataDir>/generations`. */
  dataDir: string;
  settingsBackend: SettingsBackend;
  imageUrl: ImageUrl;
  /** How long to wait for InvokeEndpoint's answer (default ~70 s, past SageMaker's 60 s limit). */
  invokeTimeoutMs?: number;
  /** Desktop-only actions, provided by the Electron shell. */
  desktop?: DesktopActions;
  /**
   * Sign in with Cognito: the callback URL, where a sign-in is remembered, the browser. Default
   * (web mode, tests): `http://localhost:5174/auth/callback`, remembered in a 0600 file when asked.
   */
  auth?: Partial<AuthOptions>;
}

/** The core behind the contract, shared by Electron IPC and web mode. Plain Node, no Electron. */
export interface Core {
  settings: SettingsService;
  library: LocalLibrary;
  state: StateStore;
  cloud: CloudLibrary;
  /** Progress events (generation started, image ready, …), forwarded by IPC and server-sent events. */
  events: EventBus;
  /** Image URLs' answers, for the desktop protocol and web mode's route alike. */
  images: ImageService;
  /** The one entry for every call: validates against the contract, runs the area's handler. */
  dispatch: Dispatch;
  /** Resolves once the start-up work is done (interrupted generations, lost upload jobs). */
  started(): Promise<void>;
  /** Sign in with Cognito; its callback (web mode's route, the desktop app's scheme) calls `finish`. */
  auth: AuthService;
  /** Cancels everything in flight (app shutdown). */
  close(): void;
}

/**
 * Wires the core the same way for Electron, web mode, tests and benchmarks: one service per
 * area, each owning its state and registering its handlers; here is the only place they meet.
 */
export const createCore = (options: CoreOptions): Core => {
  // Settings, the Cognito identity and the library are the user's alone.
  ensurePrivateRoot(options.dataDir);
  const settings = new SettingsService(options.settingsBackend);
  const library = new LocalLibrary(options.dataDir);
  // Not settings, and never sent to the renderer: e.g. Cognito identity IDs.
  const state = new StateStore(join(options.dataDir, 'state.json'));
  const events = new EventBus();
  // Failures and cloud sync, as they happen, for the log.
  events.subscribe(logEvent);
  const clients = new AwsClients(settings.get(), state, options.invokeTimeoutMs);
  const cloud = new CloudLibrary({
    dataDir: options.dataDir,
    library,
    state,
    settings: () => settings.get(),
    clients: () => clients,
    onSync: (generationId, sync) => events.emit({ type: 'sync.changed', generationId, clientId: '', sync }),
  });
  const inProgress = new InProgress();
  const view = new GenerationView(library, options.imageUrl, inProgress);
  // The Edit tab's document and layer images; it copies history images through `images` (called later, never here).
  const editor: EditorService = new EditorService({
    ...options,
    original: (g, i) => images.original(g, i),
    record: async (g) => (await library.get(g)) ?? cloud.cache.recordOf(g),
  });
  const images: ImageService = new ImageService({
    library,
    cloud,
    uploads: new Uploads(options.dataDir),
    editorImage: (imageId): string | undefined => editor.images.path(imageId),
    settings: () => settings.get(),
    imageUrl: options.imageUrl,
  });
  const signInToken = join(options.dataDir, 'sign-in.token');
  const auth = new AuthService(
    () => settings.get(),
    events,
    {
      redirectUri: () => 'http://localhost:5174/auth/callback',
      secretStore: (remember) => Promise.resolve(remember ? new FileSecretStore(signInToken) : new MemorySecretStore()),
      ...options.auth,
    },
    // Credentials and cached cloud answers belong to the user who was signed in.
    () => {
      clients.reset();
      cloud.invalidate();
      connection.forget();
    },
  );
  clients.signIn = auth;
  const connection = new ConnectionService(settings, clients, state, (s) => auth.check(s));
  const generation = new GenerationService({
    settings: () => settings.get(),
    clients,
    library,
    cloud,
    images,
    view,
    events,
    inProgress,
  });
  const history = new HistoryService({ library, cloud, view, events, settings: () => settings.get() });
  const sync = new SyncService({ library, cloud, events, inProgress });
  const sendToHistory = new SendToHistory({ library, cloud, events, view, original: (g, i) => images.original(g, i) });
  const desktop = new DesktopService(images, options.desktop);

  settings.onChange((next, previous) => {
    clients.update(next);
    void auth.settingsChanged(next, previous).catch((error: unknown) => log.warn('Sign-in settings', error));
    cloud.invalidate();
    connection.forget();
    generation.settingsChanged(next);
  });

  const handlers = {
    ...connection.handlers,
    ...generation.handlers,
    ...history.handlers,
    ...sync.handlers,
    ...images.handlers,
    ...desktop.handlers,
    ...editor.handlers,
    ...sendToHistory.handlers,
    ...auth.handlers,
  } satisfies Handlers;
  // A remembered sign-in is restored while the rest starts.
  const signedIn = auth.start();

  return {
    settings,
    library,
    state,
    cloud,
    events,
    images,
    dispatch: createDispatcher(handlers),
    auth,
    started: () => Promise.all([sync.started(), signedIn]).then(() => undefined),
    close: () => {
      auth.close();
      generation.close();
      cloud.close();
      clients.reset();
    },
  };
};

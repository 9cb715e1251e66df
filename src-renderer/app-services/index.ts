import { unwrap } from '@stability/stablestudio-plugin';
import type { SignInStart, SignInState } from '../../src-shared/auth';
import type { ConnectionReport, EndpointSummary, ProfileList } from '../../src-shared/aws';
import type { OpenedFiles } from '../../src-shared/contract';
import type { EditorDocument, EditorDocumentAnswer, EditorImage } from '../../src-shared/editor';
import type { Result } from '../../src-shared/errors';
import type { AppCommand, GenerateRequest, Generation, StudioEvent } from '../../src-shared/generation';
import { generationNotice } from '../../src-shared/notices';
import type { Settings, SettingsPatch } from '../../src-shared/settings';
import { getBridge } from '../bridge';

/**
 * Everything the UI asks of the main process that is not Stable Diffusion (that goes through
 * the plugin): settings, uploads, desktop actions, cloud sync and notifications. With the
 * plugin, the only code that reaches the bridge.
 */

// Settings: answered as Results, since the dialog shows a failure's field messages in place.
export const getSettings = (): Promise<Result<Settings>> => getBridge().getSettings();
export const saveSettings = (settings: SettingsPatch): Promise<Result<Settings>> => getBridge().saveSettings(settings);
export const listProfiles = (): Promise<Result<ProfileList>> => getBridge().listProfiles();
export const discoverEndpoints = (settings: Settings): Promise<Result<EndpointSummary[]>> =>
  getBridge().discoverEndpoints(settings);
export const testConnection = (settings: Settings): Promise<Result<ConnectionReport>> =>
  getBridge().testConnection(settings);

/** Stores an image to start from (its bytes, never base64). */
export const uploadInitImage = (
  bytes: Uint8Array<ArrayBuffer>,
  name: string,
): Promise<Result<{ id: string; url: string; width: number; height: number }>> =>
  getBridge().uploadInitImage({ bytes, name });

/** Stores raw pixels (grey, RGB or RGBA, row after row) as an image to start from; the main process encodes them. */
export const uploadPixels = async (
  pixels: { width: number; height: number; channels: 1 | 3 | 4; data: Uint8Array<ArrayBuffer> },
  name: string,
): Promise<{ id: string; url: string; width: number; height: number }> =>
  unwrap(
    await getBridge().uploadPixels({
      bytes: pixels.data,
      width: pixels.width,
      height: pixels.height,
      channels: pixels.channels,
      name,
    }),
  );

let desktop: Promise<boolean> | undefined;

/** True in the Electron app (native file actions and notifications exist), false in web mode. */
export const isDesktop = (): Promise<boolean> => {
  desktop ??= getBridge()
    .getCapabilities()
    .then((result) => result.ok && result.value.desktop)
    .catch(() => false);
  return desktop;
};

/** Desktop: shows the image file in the system file manager. */
export const revealImage = async (generationId: string, imageId: string): Promise<void> => {
  unwrap(await getBridge().revealImage({ generationId, imageId }));
};

/** Desktop: hands the image file to the system's drag. */
export const startImageDrag = async (generationId: string, imageId: string): Promise<void> => {
  unwrap(await getBridge().startImageDrag({ generationId, imageId }));
};

/** Uploads generations made while cloud storage was off (these, or all of them); answers how many were queued. */
export const uploadToCloud = async (generationIds?: string[]): Promise<number> =>
  unwrap(await getBridge().uploadToCloud(generationIds ? { generationIds } : {})).queued;

/** Retries every pending cloud upload and delete now; answers how many are still waiting. */
export const retrySync = async (): Promise<number> => unwrap(await getBridge().retrySync()).pending;

/** A finished Dream, told the way the desktop app's native notification tells it. */
export interface FinishedNotice {
  /** The requestID the Dream was started with (this window's, or another's). */
  requestID: string;
  /** The generation it made. */
  imagesID: string;
  title: string;
  body: string;
  /** The first image made, to open when the notification is clicked. */
  firstImageID?: string;
}

/** Subscribe to finished Dreams, for notifications; returns the unsubscribe function. */
export const onDreamFinished = (listener: (notice: FinishedNotice) => void): (() => void) =>
  getBridge().onEvent((event) => {
    if (event.type !== 'generation.done') return;
    const first = event.generation.images[0];
    listener({
      requestID: event.clientId,
      imagesID: event.generationId,
      ...generationNotice(event.generation),
      ...(first ? { firstImageID: first.id } : {}),
    });
  });

/** Desktop: what the app menu or the dock asks the studio to do (open Settings, import a PNG, Dream, take opened files). */
export const onAppCommand = (listener: (command: AppCommand) => void): (() => void) =>
  getBridge().onEvent((event) => {
    if (event.type === 'app.command') listener(event.command);
  });

/** Desktop: PNG files the system asked the app to open, each handed over once (empty in web mode). */
export const takeOpenedFiles = async (): Promise<OpenedFiles> => unwrap(await getBridge().takeOpenedFiles());

/** The Edit tab's document, with each layer image's URL (and a notice when the stored one was set aside). */
export const getEditorDocument = async (): Promise<EditorDocumentAnswer> =>
  unwrap(await getBridge().getEditorDocument());

/** Replaces the Edit tab's stored document. */
export const saveEditorDocument = async (document: EditorDocument): Promise<void> => {
  unwrap(await getBridge().saveEditorDocument(document));
};

/** Stores image bytes (a file, a paste, a drop) for a new editor layer. */
export const addEditorImage = async (bytes: Uint8Array<ArrayBuffer>, name: string): Promise<EditorImage> =>
  unwrap(await getBridge().addEditorImage({ bytes, name }));

/** Copies an image of the history into the editor, for a new layer. */
export const addEditorImageFromLibrary = async (generationId: string, imageId: string): Promise<EditorImage> =>
  unwrap(await getBridge().addEditorImageFromLibrary({ generationId, imageId }));

/** Sign in with Cognito: who is signed in (after a remembered sign-in was restored), or why not. */
export const getSignInState = async (): Promise<SignInState> => unwrap(await getBridge().getSignInState());

/** Starts a sign-in: the URL of the pool's sign-in page, and whether the app opened it (desktop) or the page must. */
export const signIn = async (): Promise<SignInStart> => unwrap(await getBridge().signIn());

/** Signs out: the refresh token revoked, every token and credential forgotten. */
export const signOut = async (): Promise<SignInState> => unwrap(await getBridge().signOut());

/** Subscribe to sign-in changes (signed in, out, a sign-in that failed); returns the unsubscribe function. */
export const onSignInChanged = (listener: (state: SignInState) => void): (() => void) =>
  getBridge().onEvent((event) => {
    if (event.type === 'signIn.changed') listener(event.state);
  });

/** Keeps a dream box's result as a layer image, laid into the box's source only inside its mask. */
export const acceptEditorResult = async (target: {
  generationId: string;
  imageId: string;
  sourceUploadId: string;
  maskUploadId?: string;
}): Promise<EditorImage> => unwrap(await getBridge().acceptEditorResult(target));

/**
 * An edit request of the Edit tab (init image and mask by upload, a kind): the contract's own
 * input, which StableStudio's plugin shape has no words for. Answers the finished generation.
 */
export const generateEdit = async (request: GenerateRequest): Promise<Generation> =>
  unwrap(await getBridge().generate(request));

/**
 * Keeps a PNG made in the Edit tab as a generation of the history (with the parameters it was made
 * with, when known): uploaded, then stored; the history hears of it at once.
 */
export const sendToHistory = async (
  bytes: Uint8Array<ArrayBuffer>,
  input?: GenerateRequest['input'],
): Promise<Generation> => {
  const { id } = unwrap(await getBridge().uploadInitImage({ bytes, name: 'edit.png' }));
  return unwrap(await getBridge().sendToHistory({ uploadId: id, ...(input ? { input } : {}) }));
};

/** Stops the edit request started with this client ID. */
export const cancelEdit = async (clientId: string): Promise<void> => {
  unwrap(await getBridge().cancelGeneration({ clientId }));
};

/** Progress of the edit requests started with `clientId`; returns the unsubscribe function. */
export const onEditProgress = (clientId: string, listener: (event: StudioEvent) => void): (() => void) =>
  getBridge().onEvent((event) => {
    if ('clientId' in event && event.clientId === clientId) listener(event);
  });

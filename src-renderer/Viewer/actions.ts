import { promptOf } from '@stability/stablestudio-plugin';
import type { StableDiffusionImage, StableDiffusionInput } from '@stability/stablestudio-plugin';
import { revealImage, startImageDrag } from '../app-services';
import { Form, dream, reuseParameters, setInitImage, upscaleImage, upscalerOf } from '../Generation';
import type { Block } from '../Generation';
import { restoreEditBox } from '../Edit';
import { applyLibraryChange } from '../History';
import { pluginFunction } from '../Plugin';
import { showError, showInfo } from '../Toast';

/** How an action tells the user what happened (a toast, or the large view's own status line). */
export interface Reporter {
  info: (title: string, message?: string) => void;
  error: (title: string, error: unknown) => void;
}

export const toastReporter: Reporter = { info: showInfo, error: showError };

/** One image of a generation, with what the actions need to know about it. */
export interface ImageTarget {
  block: Block;
  image: StableDiffusionImage;
}

/** The input to reuse; undefined when it carries no prompt. */
const reusable = (input: StableDiffusionInput | undefined): StableDiffusionInput | undefined =>
  input && promptOf(input) !== '' ? input : undefined;

/** Deletes images of a generation, or the whole generation when `imageIds` is absent. */
const deleteImages = async (generationId: string, imageIds?: string[]): Promise<void> => {
  await pluginFunction('deleteStableDiffusionImages')({
    imagesID: generationId,
    ...(imageIds ? { imageIDs: imageIds } : {}),
  });
};

/** The download that carries the parameters inside the PNG (AUTOMATIC1111 layout + our JSON). */
export const paramsUrl = (src: string): string => src.replace(/\.(png|jpe?g)(?=$|[?#])/, '.params.png');

export const imageFileName = (target: ImageTarget): string => {
  const seed = target.image.input?.seed;
  const words = target.block.prompt
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48);
  return `${words || 'image'}${seed ? `-${seed}` : ''}.png`;
};

const clickDownload = (href: string, name: string): void => {
  const link = document.createElement('a');
  link.href = href;
  link.download = name;
  link.rel = 'noopener';
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
};

export const saveImage = (target: ImageTarget): void => {
  if (target.image.src) clickDownload(paramsUrl(target.image.src), imageFileName(target));
};

const wait = (ms: number): Promise<void> => new Promise((resolve) => window.setTimeout(resolve, ms));

/** Every image of a generation as PNG with its parameters, one after another (browsers drop bursts). */
export const saveAll = async (block: Block, report: Reporter = toastReporter): Promise<void> => {
  const images = block.slots.flatMap((slot) => (slot.state === 'ready' ? [slot.image] : []));
  if (images.length === 0) return;
  for (const [index, image] of images.entries()) {
    if (index > 0) await wait(250);
    saveImage({ block, image });
  }
  report.info(images.length === 1 ? 'Downloading 1 image' : `Downloading ${images.length} images`);
};

/** The image as PNG bytes: fetched, or drawn from the loaded image when fetching is not allowed. */
const pngBlob = async (src: string): Promise<Blob> => {
  let blob: Blob | undefined;
  try {
    const response = await fetch(src);
    if (response.ok) blob = await response.blob();
  } catch {
    // Not fetchable from here (a page policy); the loaded image can still be drawn.
  }
  if (blob?.type === 'image/png') return blob;
  if (blob) return toPng(await createImageBitmap(blob));
  const img = new Image();
  img.src = src;
  await img.decode();
  return toPng(img);
};

const toPng = async (source: CanvasImageSource & { width: number; height: number }): Promise<Blob> => {
  const canvas = document.createElement('canvas');
  canvas.width = source.width;
  canvas.height = source.height;
  const context = canvas.getContext('2d');
  if (!context) throw new Error('This browser cannot draw the image.');
  context.drawImage(source, 0, 0);
  return new Promise<Blob>((resolve, reject) =>
    canvas.toBlob((png) => (png ? resolve(png) : reject(new Error('The image could not be encoded.'))), 'image/png'),
  );
};

export const copyImage = async (target: ImageTarget, report: Reporter = toastReporter): Promise<void> => {
  const src = target.image.src;
  if (!src) return;
  if (!navigator.clipboard?.write || typeof ClipboardItem === 'undefined') {
    report.error('Could not copy the image', new Error('This browser does not let pages put images on the clipboard.'));
    return;
  }
  try {
    // The promise form keeps the click's permission while the bytes are fetched.
    await navigator.clipboard.write([new ClipboardItem({ 'image/png': pngBlob(src) })]);
    report.info('Image copied', 'Paste it into any app that takes images.');
  } catch (error) {
    const refused = error instanceof DOMException && error.name === 'NotAllowedError';
    report.error(
      'Could not copy the image',
      refused ? new Error('The browser refused access to the clipboard. Use Save as PNG instead.') : error,
    );
  }
};

export const revealInFolder = async (target: ImageTarget, report: Reporter = toastReporter): Promise<void> => {
  if (!target.block.id) return;
  try {
    await revealImage(target.block.id, target.image.id);
  } catch (error) {
    report.error('Could not show the file', error);
  }
};

/** Desktop: hand the file to the system's drag (a real file lands where it is dropped). */
export const dragOut = (target: ImageTarget, report: Reporter = toastReporter): void => {
  if (!target.block.id) return;
  startImageDrag(target.block.id, target.image.id).catch((error: unknown) =>
    report.error('Could not drag the image', error),
  );
};

/** Web: offer the download URL to the drop target (Chromium saves it as a file on the desktop). */
export const describeDrag = (target: ImageTarget, data: DataTransfer): void => {
  const src = target.image.src;
  if (!src) return;
  const url = new URL(paramsUrl(src), window.location.href).href;
  data.effectAllowed = 'copy';
  data.setData('DownloadURL', `image/png:${imageFileName(target)}:${url}`);
  data.setData('text/uri-list', url);
};

export const reuseImageParameters = (target: ImageTarget, report: Reporter = toastReporter): void => {
  const input = reusable(target.image.input ?? target.block.input);
  if (!input) {
    report.error('Could not reuse the parameters', new Error('This image carries no parameters.'));
    return;
  }
  reuseParameters(input);
  // An edit of a dream box: the box comes back too, in the Edit tab.
  const restored = restoreEditBox(target.image.input ?? target.block.input, target.block.slots.length);
  report.info(
    restored ? 'Parameters in the sidebar and the box in the Edit tab' : 'Parameters in the sidebar',
    `Seed ${input.seed || 'random'}`,
  );
};

/** The block's prompt and settings (random seed), with its image count. */
export const reuseBlock = (block: Block, report: Reporter = toastReporter): void => {
  const input = reusable(block.input);
  if (!input) {
    report.error('Could not reuse the prompt', new Error('This generation carries no prompt.'));
    return;
  }
  reuseParameters(input, block.slots.length || undefined);
};

const libraryRef = (target: ImageTarget): { kind: 'library'; generationId: string; imageId: string } | undefined =>
  target.block.id ? { kind: 'library', generationId: target.block.id, imageId: target.image.id } : undefined;

export const setAsInitImage = (target: ImageTarget, report: Reporter = toastReporter): void => {
  const ref = libraryRef(target);
  if (!ref || !target.image.src) return;
  setInitImage(ref, target.image.thumbSrc ?? target.image.src);
  report.info('Init image set', 'The next Dream starts from this image.');
};

/** Image-to-image from this image with the same prompt and settings, new random seeds, now. */
export const makeVariations = (target: ImageTarget, report: Reporter = toastReporter): void => {
  const ref = libraryRef(target);
  const input = reusable(target.image.input ?? target.block.input);
  if (!ref || !input || !target.image.src) {
    report.error('Could not make variations', new Error('This image is not in the library yet.'));
    return;
  }
  reuseParameters({ ...input, seed: 0, initialImage: { ref, weight: input.initialImage?.weight } });
  setInitImage(ref, target.image.thumbSrc ?? target.image.src);
  void dream();
};

/**
 * Upscale ×4 with the configured upscaler: a new generation on top of the history, the image's
 * own prompt sent with it (the upscaler needs one); large images go in tiles, with progress.
 * Answers whether it started (otherwise `report` said why).
 */
/** The largest side a request may name (the contract's width and height limit). */
const maxUpscaleSide = 2048;

export const upscale = (target: ImageTarget, report: Reporter = toastReporter): boolean => {
  const ref = libraryRef(target);
  const model = upscalerOf(Form.get().models);
  const input = target.image.input ?? target.block.input;
  const [width, height] = [input.width, input.height];
  if (!ref || !model || !width || !height) {
    report.error(
      'Could not upscale the image',
      new Error(model ? 'This image is not in the library yet.' : 'No upscaler model is configured (Settings).'),
    );
    return false;
  }
  if (Math.max(width, height) > maxUpscaleSide) {
    report.error(
      'Could not upscale the image',
      new Error(`It is ${width} × ${height} already; Upscale ×4 takes images up to ${maxUpscaleSide} px on a side.`),
    );
    return false;
  }
  report.info('Upscaling ×4', `${width} × ${height} → ${width * 4} × ${height * 4}, at the top of the history.`);
  void upscaleImage({ ref, input, width, height }, model);
  return true;
};

export const deleteImage = async (target: ImageTarget, report: Reporter = toastReporter): Promise<void> => {
  if (!target.block.id) return;
  try {
    await deleteImages(target.block.id, [target.image.id]);
  } catch (error) {
    report.error('Could not delete the image', error);
    return;
  }
  // The library's event says the same; this keeps the screen right even when events lag.
  applyLibraryChange({ type: 'deleted', imagesID: target.block.id, imageIDs: [target.image.id], remaining: 1 });
};

export const deleteGeneration = async (block: Block, report: Reporter = toastReporter): Promise<void> => {
  if (!block.id) return;
  try {
    await deleteImages(block.id);
  } catch (error) {
    report.error('Could not delete the generation', error);
    return;
  }
  applyLibraryChange({ type: 'deleted', imagesID: block.id, imageIDs: [], remaining: 0 });
};

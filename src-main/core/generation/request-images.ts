import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import type { Metadata } from 'sharp';
import type { GenerationInput } from '../../../src-shared/generation';
import { StudioError } from '../errors';
import type { ImageService } from '../images/service';
import type { RequestImages } from '../inference/types';
import { initImageBase64, underTransparency } from '../library/uploads';

const blankMask = (): StudioError =>
  new StudioError(
    'input.invalid',
    'The mask is black all over, so nothing would change.',
    'Erase (or paint white in the mask) where the picture should be generated.',
  );

const gone = (what: string): StudioError =>
  new StudioError('library.not_found', `The ${what} is no longer in the library.`, 'Choose it again.');

/** The file of the image to start from (an upload or a library image), or why there is none. */
const initPath = async (images: ImageService, ref: NonNullable<GenerationInput['initImage']>): Promise<string> => {
  const found =
    ref.kind === 'upload'
      ? await images.original('uploads', ref.id)
      : await images.original(ref.generationId, ref.imageId);
  if ('problem' in found) throw gone('image to start from');
  return found.path;
};

/**
 * The mask as sent: grey levels only (transparent counts as black, "keep"), cropped and scaled
 * exactly like the init image. Refused when it is not the init image's size, or marks nothing.
 */
const maskBase64 = async (maskPath: string, init: Metadata, width: number, height: number): Promise<string> => {
  // Read once: checked, decoded and (when already as sent) sent from the same bytes.
  const file = await readFile(maskPath);
  const meta = await sharp(file).metadata();
  if (meta.format !== 'png') throw new StudioError('input.invalid', 'The mask must be a PNG.', 'Paint the mask again.');
  if (meta.width !== init.width || meta.height !== init.height)
    throw new StudioError(
      'input.invalid',
      `The mask is ${meta.width}×${meta.height} but the image is ${init.width}×${init.height}: they must be the same size.`,
      'Make the mask from the same box as the image.',
    );
  // Already as sent (one grey channel, the request's size: what the Edit tab uploads): only checked.
  const asSent = meta.channels === 1 && meta.depth === 'uchar' && meta.width === width && meta.height === height;
  const pipeline = asSent
    ? sharp(file)
    : sharp(file).flatten({ background: '#000000' }).greyscale().resize(width, height, { fit: 'cover' });
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  // Black all over: compared with zeros in one go (a pass of sharp's stats costs more than the encoding).
  if (data.equals(Buffer.alloc(data.length))) throw blankMask();
  if (asSent) return file.toString('base64');
  const raw = { width: info.width, height: info.height, channels: info.channels };
  return (await sharp(data, { raw }).png().toBuffer()).toString('base64');
};

/**
 * The init image of a masked request: as for image-to-image, but opaque. Transparent pixels
 * (the part to paint, in the editor) become neutral grey: models take RGB, and what lies under
 * transparency is whatever the editor left there. Opaque pixels are unchanged.
 */
const maskedInitBase64 = async (path: string, meta: Metadata, width: number, height: number): Promise<string> => {
  if (!meta.hasAlpha) return initImageBase64(path, width, height);
  const flat = sharp(path).flatten({ background: underTransparency });
  const sized = meta.width === width && meta.height === height ? flat : flat.resize(width, height, { fit: 'cover' });
  return (await sized.png().toBuffer()).toString('base64');
};

/**
 * What a request sends besides text, computed once per generation: the init image at the
 * input's size (PNG, sent as it is when it already is one of that size) and, for inpainting and
 * outpainting, the mask (white = generate). Nothing for text-to-image.
 */
export const requestImagesFor = async (images: ImageService, input: GenerationInput): Promise<RequestImages> => {
  if (!input.initImage) return {};
  // Just made from raw pixels at the request's size (an Edit box): sent as encoded (waiting for
  // the encoding when it is still going), not read back.
  const fresh = async (ref: GenerationInput['initImage'] | GenerationInput['maskImage'], channels: 1 | 3) => {
    const upload = ref?.kind === 'upload' ? await images.freshUpload(ref.id) : undefined;
    return upload && upload.channels === channels && upload.width === input.width && upload.height === input.height
      ? upload
      : undefined;
  };
  const [freshInit, freshMask] = await Promise.all([fresh(input.initImage, 3), fresh(input.maskImage, 1)]);
  if (freshInit && (!input.maskImage || freshMask)) {
    if (freshMask?.blank) throw blankMask();
    return {
      init: freshInit.png.toString('base64'),
      ...(freshMask ? { mask: freshMask.png.toString('base64') } : {}),
    };
  }
  const path = await initPath(images, input.initImage);
  if (!input.maskImage) return { init: await initImageBase64(path, input.width, input.height) };
  const mask = await images.original('uploads', input.maskImage.id);
  if ('problem' in mask) throw gone('mask');
  const meta = await sharp(path).metadata();
  const maskB64 = await maskBase64(mask.path, meta, input.width, input.height);
  return { init: await maskedInitBase64(path, meta, input.width, input.height), mask: maskB64 };
};

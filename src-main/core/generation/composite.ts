import sharp from 'sharp';
import { StudioError } from '../errors';

/** Decoded pixels: `channels` bytes per pixel, row after row. */
interface Raw {
  data: Buffer;
  width: number;
  height: number;
}

const rgba = async (bytes: Uint8Array, width?: number, height?: number): Promise<Raw> => {
  let image = sharp(bytes).ensureAlpha();
  if (width !== undefined && height !== undefined) image = image.resize(width, height, { fit: 'fill' });
  const { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
};

/**
 * The generated image laid back into the one it was made from, only where the mask says:
 * each pixel is `init × (1 − m) + result × m` with m the mask's grey level (white = 1), so a
 * feathered mask blends and every pixel the mask leaves black stays exactly the init image's.
 * The mask must be the init image's size; a result of another size (models round sizes) is
 * scaled to it. Answers a PNG with the init image's size (RGBA).
 */
export const compositeInside = async (init: Uint8Array, result: Uint8Array, mask: Uint8Array): Promise<Buffer> => {
  let base: Raw;
  let grey: { data: Buffer; width: number; height: number };
  try {
    base = await rgba(init);
    const m = await sharp(mask)
      .flatten({ background: '#000000' })
      .greyscale()
      .raw()
      .toBuffer({ resolveWithObject: true });
    grey = { data: m.data, width: m.info.width, height: m.info.height };
  } catch (error) {
    throw new StudioError('input.invalid', `The image or mask to composite is not an image (${String(error)}).`);
  }
  if (grey.width !== base.width || grey.height !== base.height)
    throw new StudioError(
      'input.invalid',
      `The mask is ${grey.width}×${grey.height} but the image is ${base.width}×${base.height}: they must be the same size.`,
    );
  const made = await rgba(result, base.width, base.height);
  const out = Buffer.from(base.data);
  const step = grey.data.length / (base.width * base.height);
  for (let i = 0, p = 0; i < out.length; i += 4, p += step) {
    const m = grey.data[p] ?? 0;
    if (m === 0) continue;
    for (let c = 0; c < 4; c++) {
      const a = base.data[i + c] ?? 0;
      const b = made.data[i + c] ?? 0;
      out[i + c] = Math.round((a * (255 - m) + b * m) / 255);
    }
  }
  return sharp(out, { raw: { width: base.width, height: base.height, channels: 4 } })
    .png()
    .toBuffer();
};

/**
 * Reads the text chunks of a PNG (tEXt, zTXt, iTXt, compressed or not) from its
 * bytes, in the browser: no library, DataView over the file and the platform's
 * DecompressionStream for the zlib-compressed ones.
 */

const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export const isPng = (bytes: Uint8Array): boolean =>
  bytes.length >= signature.length && signature.every((b, i) => bytes[i] === b);

/** zlib-wrapped deflate (what PNG uses) → bytes. */
const inflate = async (data: Uint8Array): Promise<Uint8Array> => {
  const stream = new Blob([data.slice()]).stream().pipeThrough(new DecompressionStream('deflate'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
};

const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8');

const indexOfZero = (data: Uint8Array, from: number): number => {
  for (let i = from; i < data.length; i++) if (data[i] === 0) return i;
  return -1;
};

const decodeChunk = async (type: string, data: Uint8Array): Promise<[string, string] | undefined> => {
  const end = indexOfZero(data, 0);
  if (end <= 0) return undefined;
  const keyword = latin1.decode(data.subarray(0, end));
  switch (type) {
    case 'tEXt':
      return [keyword, latin1.decode(data.subarray(end + 1))];
    case 'zTXt':
      // One byte of compression method (0 = deflate), then the compressed text.
      return [keyword, latin1.decode(await inflate(data.subarray(end + 2)))];
    case 'iTXt': {
      const compressed = data[end + 1] === 1;
      const languageEnd = indexOfZero(data, end + 3);
      if (languageEnd < 0) return undefined;
      const translatedEnd = indexOfZero(data, languageEnd + 1);
      if (translatedEnd < 0) return undefined;
      const text = data.subarray(translatedEnd + 1);
      return [keyword, utf8.decode(compressed ? await inflate(text) : text)];
    }
    default:
      return undefined;
  }
};

/**
 * Every text chunk of the PNG, keyword → text (the first of a keyword wins).
 * Throws when the bytes are not a PNG; a damaged chunk is skipped.
 */
export const readPngText = async (buffer: ArrayBuffer): Promise<Map<string, string>> => {
  const bytes = new Uint8Array(buffer);
  if (!isPng(bytes)) throw new Error('Not a PNG file');
  const view = new DataView(buffer);
  const out = new Map<string, string>();
  let offset = signature.length;
  while (offset + 8 <= bytes.length) {
    const length = view.getUint32(offset);
    const type = String.fromCharCode(...bytes.subarray(offset + 4, offset + 8));
    const start = offset + 8;
    if (start + length > bytes.length) break;
    if (type === 'IEND') break;
    if (type === 'tEXt' || type === 'zTXt' || type === 'iTXt') {
      try {
        const entry = await decodeChunk(type, bytes.subarray(start, start + length));
        if (entry && !out.has(entry[0])) out.set(entry[0], entry[1]);
      } catch {
        // A chunk that does not decompress is skipped; the others may still say enough.
      }
    }
    offset = start + length + 4; // data, then CRC
  }
  return out;
};

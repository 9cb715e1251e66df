import { describe, expect, it } from 'vitest';
import { StudioError } from '../../src-main/core/errors';
import { Base64Field, parseJson } from '../../src-main/core/inference/bytes';
import { hfDiffusersCodec } from '../../src-main/core/inference/hf-diffusers';
import { jumpstartSdCodec } from '../../src-main/core/inference/jumpstart-sd';
import { stabilityCodec } from '../../src-main/core/inference/stability';
import { pngOfSize, renderJpeg, renderPng, seededRandom } from '../fakes/png';

const png = renderPng(256, 256, 7);
const otherPng = renderPng(256, 192, 8);
const jpeg = renderJpeg(256, 256, 9);
const b64 = png.toString('base64');
const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');
const stabilityAnswer = (artifact: Record<string, unknown>): Buffer => bytes(JSON.stringify({ artifacts: [artifact] }));

/** The StudioError a decode throws (its message names what was wrong and how the answer began). */
const refusal = (decode: () => unknown): StudioError => {
  try {
    decode();
  } catch (error) {
    if (error instanceof StudioError) return error;
    throw error;
  }
  throw new Error('the answer was accepted');
};

describe('answers are decoded from their bytes', () => {
  it('hands back a long base64 string decoded in place, and every other value as JSON.parse would', () => {
    expect(b64.length).toBeGreaterThan(4096);
    const parsed = parseJson(
      stabilityAnswer({ base64: b64, seed: 12, finishReason: 'SUCCESS', note: 'ä "quoted" \\ ✓' }),
    ) as {
      artifacts: Array<Record<string, unknown>>;
    };
    const artifact = parsed.artifacts[0]!;
    expect(artifact.base64).toBeInstanceOf(Base64Field);
    expect((artifact.base64 as Base64Field).bytes.equals(png)).toBe(true);
    expect(artifact).toMatchObject({ seed: 12, finishReason: 'SUCCESS', note: 'ä "quoted" \\ ✓' });
  });

  it('stability: the exact PNG bytes and the reported seed', () => {
    const [artifact] = stabilityCodec.decode(stabilityAnswer({ base64: b64, seed: 12, finishReason: 'SUCCESS' }), '');
    expect(artifact?.bytes?.equals(png)).toBe(true);
    expect(artifact).toMatchObject({ seed: 12, finishReason: 'SUCCESS', contentType: 'image/png' });
  });

  it('reads the fields in any order, with strings full of escapes around the image', () => {
    const text =
      '{"note":"a \\"quote\\", a backslash \\\\","artifacts":[{"finishReason":"SUCCESS","odd":"ends in \\\\",' +
      `"seed":99,"base64":"${b64}","after":"\\"${'x'.repeat(2000)}\\""}],"tail":"\\u00e9"}`;
    const [artifact] = stabilityCodec.decode(bytes(text), 'application/json');
    expect(artifact?.bytes?.equals(png)).toBe(true);
    expect(artifact?.seed).toBe(99);
  });

  it('decodes an image whose base64 carries JSON escapes (\\/ and line breaks) the slow way', () => {
    const escapedSlashes = b64.replaceAll('/', '\\/');
    const [a] = stabilityCodec.decode(
      bytes(`{"artifacts":[{"base64":"${escapedSlashes}","seed":1,"finishReason":"SUCCESS"}]}`),
      '',
    );
    expect(a?.bytes?.equals(png)).toBe(true);
    // Like Python's base64.encodebytes: a line break every 76 characters.
    const lines = (b64.match(/.{1,76}/g) ?? []).join('\\n');
    const [b] = stabilityCodec.decode(
      bytes(`{"artifacts":[{"base64":"${lines}\\n","seed":1,"finishReason":"SUCCESS"}]}`),
      '',
    );
    expect(b?.bytes?.equals(png)).toBe(true);
  });

  it('ignores spaces inside the base64, as base64 decoders do', () => {
    const spaced = `${b64.slice(0, 3000)} ${b64.slice(3000, 6000)}  ${b64.slice(6000)}`;
    const [artifact] = stabilityCodec.decode(stabilityAnswer({ base64: spaced, seed: 1, finishReason: 'SUCCESS' }), '');
    expect(artifact?.bytes?.equals(png)).toBe(true);
  });

  it('reads pretty-printed answers (whitespace between tokens)', () => {
    const pretty = JSON.stringify({ artifacts: [{ base64: b64, seed: 3, finishReason: 'SUCCESS' }] }, null, 2);
    const [artifact] = stabilityCodec.decode(bytes(`\n\t ${pretty} \r\n`), '');
    expect(artifact?.bytes?.equals(png)).toBe(true);
    expect(artifact?.seed).toBe(3);
  });

  it('takes the image field, not another long base64 string beside it', () => {
    const answer = stabilityAnswer({
      extra: otherPng.toString('base64'),
      base64: b64,
      seed: 5,
      finishReason: 'SUCCESS',
    });
    expect(stabilityCodec.decode(answer, '')[0]?.bytes?.equals(png)).toBe(true);
  });

  it('decodes a huge answer: several ~2 MB images in one', () => {
    const images = [pngOfSize(2_000_000), png, pngOfSize(2_100_000)];
    const answer = bytes(
      JSON.stringify({
        artifacts: images.map((image, i) => ({ base64: image.toString('base64'), seed: i, finishReason: 'SUCCESS' })),
      }),
    );
    expect(answer.length).toBeGreaterThan(5_500_000);
    const artifacts = stabilityCodec.decode(answer, '');
    expect(artifacts.map((a) => a.seed)).toEqual([0, 1, 2]);
    artifacts.forEach((a, i) => expect(a.bytes?.equals(images[i]!)).toBe(true));
  });

  it('jumpstart-sd: every JPEG exactly as received', () => {
    const answer = bytes(JSON.stringify({ generated_images: [jpeg.toString('base64'), b64], prompt: 'p' }));
    const artifacts = jumpstartSdCodec.decode(answer, 'application/json');
    expect(artifacts.map((a) => a.contentType)).toEqual(['image/jpeg', 'image/png']);
    expect(artifacts[0]?.bytes?.equals(jpeg)).toBe(true);
    expect(artifacts[1]?.bytes?.equals(png)).toBe(true);
  });

  it('hf-diffusers: the raw image, or whichever JSON shape holds it', () => {
    expect(hfDiffusersCodec.decode(png, 'image/png')[0]?.bytes?.equals(png)).toBe(true);
    for (const shape of [{ generated_image: b64 }, { image: b64 }, { generated_images: [b64] }]) {
      const [artifact] = hfDiffusersCodec.decode(bytes(JSON.stringify(shape)), 'application/json');
      expect(artifact?.bytes?.equals(png)).toBe(true);
    }
  });
});

describe('bad answers get a clear message', () => {
  it('says which field is missing', () => {
    // An endpoint that reports no seed is fine: the requested one applies.
    expect(
      stabilityCodec.decode(stabilityAnswer({ base64: b64, finishReason: 'SUCCESS' }), '')[0]?.seed,
    ).toBeUndefined();
    expect(
      refusal(() => stabilityCodec.decode(stabilityAnswer({ seed: 1, finishReason: 'SUCCESS' }), '')).message,
    ).toMatch(/an image in it is missing.*began with: \{"artifacts"/);
    expect(refusal(() => stabilityCodec.decode(bytes(`{"images":["${b64}"]}`), '')).message).toMatch(
      /has no artifacts/,
    );
    expect(refusal(() => jumpstartSdCodec.decode(bytes(`{"generated_image":"${b64}"}`), '')).message).toMatch(
      /no generated_images/,
    );
    expect(refusal(() => hfDiffusersCodec.decode(bytes('{"images":[]}'), 'application/json')).message).toMatch(
      /holds no image/,
    );
  });

  it('refuses content that is not base64 of an image', () => {
    const cases = [
      ['!'.repeat(5000), /not base64/], // no base64 at all
      [`${'@'.repeat(3000)}${b64}`, /not base64/], // an image after junk
      [`${b64.slice(0, 4000)}\u00e9${b64.slice(4000)}`, /not base64/], // an escaped character inside
      ['QUJD'.repeat(2000), /not a PNG or JPEG/], // base64, but of text
      ['QUJD', /not a PNG or JPEG/], // short
    ] as const;
    for (const [value, why] of cases) {
      const text = `{"artifacts":[{"base64":"${value}","seed":1,"finishReason":"SUCCESS"}]}`;
      const error = refusal(() => stabilityCodec.decode(bytes(text), ''));
      expect(error.code).toBe('sagemaker.bad_response');
      expect(error.message).toMatch(why);
    }
  });

  it('keeps what is not JSON not JSON, whatever the image strings around it', () => {
    const cases = [
      `{"artifacts":[{"base64":"${b64.slice(0, 5000)}`, // cut off inside the image
      `{"artifacts":[{"base64":"${b64.slice(0, 3000)}\n${b64.slice(3000)}","seed":1}]}`, // raw line break in a string
      `{"artifacts":[{"base64":"${b64}","seed":1}]} trailing`,
      `{"artifacts":[{"base64":"${b64}" "seed":1}]}`, // missing comma
      `{"artifacts":[{"base64":"${b64}","seed":1}]`, // unclosed object
      `{"artifacts":[{"base64":"${b64}\\q","seed":1}]}`, // invalid escape
    ];
    for (const text of cases) {
      const error = refusal(() => stabilityCodec.decode(bytes(text), ''));
      expect(error.code).toBe('sagemaker.bad_response');
      expect(error.message).toMatch(/not JSON.*began with: \{"artifacts"/);
    }
  });

  it('refuses a huge answer that holds no image', () => {
    const answer = bytes(
      JSON.stringify({ artifacts: [{ base64: 'A'.repeat(7_000_000), seed: 1, finishReason: 'SUCCESS' }] }),
    );
    expect(refusal(() => stabilityCodec.decode(answer, '')).message).toMatch(/not a PNG or JPEG/);
  });
});

describe('decoding in place', () => {
  it('takes only plain base64: any other character leaves the string to JSON.parse', () => {
    // Node's decoder skips or stops at what is not base64 (it reads both alphabets, standard
    // and URL-safe); the in-place check relies on it.
    const junk = [' ', '\t', '!', '#', '%', '*', '.', ':', '@', '[', ']', '^', '`', '{', '|', '}', '~', '=', '-', '_'];
    const rnd = seededRandom(2024);
    const random = (n: number): number => Math.floor(rnd() * n);
    for (let i = 0; i < 2000; i++) {
      let text = b64.slice(0, 1024 + random(40));
      for (let k = 1 + random(3); k > 0; k--) {
        const at = random(text.length + 1);
        text = text.slice(0, at) + junk[random(junk.length)]! + text.slice(at);
      }
      const parsed = parseJson(bytes(JSON.stringify({ base64: text }))) as { base64: unknown };
      const plain = /^[A-Za-z0-9+/_-]*={0,2}$/.test(text) && text.replace(/=+$/, '').length % 4 !== 1;
      if (plain) expect((parsed.base64 as Base64Field).bytes.equals(Buffer.from(text, 'base64'))).toBe(true);
      else expect(parsed.base64).toBe(text);
    }
  });
});

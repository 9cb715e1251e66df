import { sdxlSizes, stabilitySamplers } from './sdxl';

/** Payload formats a model endpoint can speak, chosen per model in Settings. */
export const payloadFormats = [
  'stability',
  'jumpstart-sd',
  'hf-diffusers',
  'jumpstart-inpaint',
  'jumpstart-upscale-x4',
] as const;
export type PayloadFormat = (typeof payloadFormats)[number];

/**
 * What a generation makes: from text; from an image (`img2img`); inside a mask, within the
 * picture (`inpaint`) or past its edge (`outpaint`); or the image larger (`upscale`).
 */
export const generationKinds = ['txt2img', 'img2img', 'inpaint', 'outpaint', 'upscale'] as const;
export type GenerationKind = (typeof generationKinds)[number];

/** Kinds that send a mask with the image (white = generate, black = keep). */
export const maskedKinds: readonly GenerationKind[] = ['inpaint', 'outpaint'];

export interface FormatInfo {
  label: string;
  description: string;
  /** Allowed output sizes, width × height. */
  sizes: ReadonlyArray<readonly [number, number]>;
  /** Samplers the format lets the caller choose; empty when the model decides. */
  samplers: readonly string[];
  stylePresets: boolean;
  defaults: { steps: number; cfgScale: number; width: number; height: number };
  /** How many images a Dream asks for until the user says otherwise. */
  defaultCount: number;
  /** The kinds of generation the format's models can do. */
  kinds: readonly GenerationKind[];
  /**
   * When set, any width and height that are multiples of `step` within [min, max] are allowed
   * (`sizes` then lists common ones for pickers); otherwise only `sizes`.
   */
  sizeRange?: { min: number; max: number; step: number };
  /** An upscaler: each side of the answer is this many times the image sent. */
  upscaleFactor?: number;
}

const sd2Sizes: ReadonlyArray<readonly [number, number]> = [
  [512, 512],
  [768, 768],
  [768, 512],
  [512, 768],
  [1024, 576],
  [576, 1024],
];

export const formatInfo: Record<PayloadFormat, FormatInfo> = {
  stability: {
    label: 'Stability (SDXL 1.0)',
    description:
      'SDXL 1.0 from SageMaker JumpStart or Stability AI’s model package: text_prompts, style presets, samplers.',
    sizes: sdxlSizes,
    samplers: stabilitySamplers,
    stylePresets: true,
    defaults: { steps: 30, cfgScale: 7, width: 1024, height: 1024 },
    defaultCount: 4,
    kinds: ['txt2img', 'img2img', 'inpaint', 'outpaint'],
  },
  'jumpstart-sd': {
    label: 'JumpStart SD 2.x',
    description: 'Older JumpStart Stable Diffusion 2.x text-to-image models: prompt, guidance_scale, JPEG answers.',
    sizes: sd2Sizes,
    samplers: [],
    stylePresets: false,
    defaults: { steps: 50, cfgScale: 7.5, width: 768, height: 768 },
    defaultCount: 4,
    kinds: ['txt2img'],
  },
  'hf-diffusers': {
    label: 'Hugging Face diffusers',
    description:
      'A diffusers pipeline behind the Hugging Face inference toolkit (task text-to-image): inputs + parameters.',
    sizes: [...sdxlSizes, [768, 768], [512, 512]],
    samplers: [],
    stylePresets: false,
    defaults: { steps: 30, cfgScale: 7, width: 1024, height: 1024 },
    defaultCount: 4,
    kinds: ['txt2img'],
  },
  'jumpstart-inpaint': {
    label: 'JumpStart SD 2 inpainting',
    description:
      'JumpStart’s Stable Diffusion 2 inpainting model: an image and a mask (white = repaint), JPEG answers.',
    sizes: [[512, 512], ...sd2Sizes.filter(([w, h]) => w !== 512 || h !== 512), [1024, 1024]],
    samplers: [],
    stylePresets: false,
    defaults: { steps: 50, cfgScale: 7.5, width: 512, height: 512 },
    defaultCount: 4,
    kinds: ['inpaint', 'outpaint'],
    sizeRange: { min: 256, max: 1024, step: 8 },
  },
  'jumpstart-upscale-x4': {
    label: 'JumpStart SD x4 upscaler',
    description:
      'JumpStart’s Stable Diffusion x4 upscaler: a small image and a prompt in, the image four times larger out (JPEG).',
    sizes: [
      [128, 128],
      [256, 256],
      [512, 512],
      [512, 384],
      [384, 512],
    ],
    samplers: [],
    stylePresets: false,
    defaults: { steps: 50, cfgScale: 7.5, width: 256, height: 256 },
    defaultCount: 1,
    kinds: ['upscale'],
    sizeRange: { min: 64, max: 512, step: 8 },
    upscaleFactor: 4,
  },
};

type StabilitySampler = (typeof stabilitySamplers)[number];

/** The stability API's sampler IDs as people know them (the API says K_DPMPP_2M, people say DPM++ 2M). */
export const samplerNames: Record<StabilitySampler, string> = {
  DDIM: 'DDIM',
  DDPM: 'DDPM',
  K_DPMPP_SDE: 'DPM++ SDE',
  K_DPMPP_2M: 'DPM++ 2M',
  K_DPMPP_2S_ANCESTRAL: 'DPM++ 2S Ancestral',
  K_DPM_2: 'DPM2',
  K_DPM_2_ANCESTRAL: 'DPM2 Ancestral',
  K_EULER: 'Euler',
  K_EULER_ANCESTRAL: 'Euler Ancestral',
  K_HEUN: 'Heun',
  K_LMS: 'LMS',
};

const isStabilitySampler = (id: string): id is StabilitySampler =>
  (stabilitySamplers as readonly string[]).includes(id);

/** A sampler's display name; an ID the table does not know is shown as it is. */
export const samplerName = (id: string): string => (isStabilitySampler(id) ? samplerNames[id] : id);

const inRange = (range: { min: number; max: number; step: number }, side: number): boolean =>
  side >= range.min && side <= range.max && side % range.step === 0;

export const isAllowedSize = (format: PayloadFormat, width: number, height: number): boolean => {
  const { sizes, sizeRange } = formatInfo[format];
  if (sizeRange) return inRange(sizeRange, width) && inRange(sizeRange, height);
  return sizes.some(([w, h]) => w === width && h === height);
};

/** The allowed sizes in words, for messages: the list, or the range. */
export const allowedSizesText = (format: PayloadFormat): string => {
  const { sizes, sizeRange } = formatInfo[format];
  if (sizeRange) return `width and height multiples of ${sizeRange.step} from ${sizeRange.min} to ${sizeRange.max} px`;
  return sizes.map(([w, h]) => `${w}×${h}`).join(', ');
};

/** What a request's input makes: its `kind`, or (older records) image-to-image when it has an init image. */
export const kindOf = (input: { kind?: GenerationKind | undefined; initImage?: unknown }): GenerationKind =>
  input.kind ?? (input.initImage ? 'img2img' : 'txt2img');

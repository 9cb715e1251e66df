import { sdxlSizes, stabilitySamplers } from './sdxl';

/** Payload formats a model endpoint can speak, chosen per model in Settings. */
export const payloadFormats = ['stability', 'jumpstart-sd', 'hf-diffusers'] as const;
export type PayloadFormat = (typeof payloadFormats)[number];

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
  },
  'jumpstart-sd': {
    label: 'JumpStart SD 2.x',
    description: 'Older JumpStart Stable Diffusion 2.x text-to-image models: prompt, guidance_scale, JPEG answers.',
    sizes: sd2Sizes,
    samplers: [],
    stylePresets: false,
    defaults: { steps: 50, cfgScale: 7.5, width: 768, height: 768 },
    defaultCount: 4,
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

export const isAllowedSize = (format: PayloadFormat, width: number, height: number): boolean =>
  formatInfo[format].sizes.some(([w, h]) => w === width && h === height);

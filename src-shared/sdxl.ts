/** SDXL's fixed facts (no zod here: the renderer's start-up reads them). */

/** SDXL sizes the `stability` format accepts (width × height). */
export const sdxlSizes: ReadonlyArray<readonly [number, number]> = [
  [1024, 1024],
  [1152, 896],
  [896, 1152],
  [1216, 832],
  [832, 1216],
  [1344, 768],
  [768, 1344],
  [1536, 640],
  [640, 1536],
];

export const stabilitySamplers = [
  'DDIM',
  'DDPM',
  'K_DPMPP_SDE',
  'K_DPMPP_2M',
  'K_DPMPP_2S_ANCESTRAL',
  'K_DPM_2',
  'K_DPM_2_ANCESTRAL',
  'K_EULER',
  'K_EULER_ANCESTRAL',
  'K_HEUN',
  'K_LMS',
] as const;

export const stylePresets = [
  'enhance',
  'anime',
  'photographic',
  'digital-art',
  'comic-book',
  'fantasy-art',
  'analog-film',
  'neon-punk',
  'isometric',
  'low-poly',
  'origami',
  'line-art',
  'modeling-compound',
  'cinematic',
  '3d-model',
  'pixel-art',
] as const;

/** Largest seed the stability API accepts. */
export const maxSeed = 4294967295;
export const maxCount = 10;

import { create } from 'zustand';
import type { StableDiffusionImage, StableDiffusionImages, StableDiffusionInput } from '@stability/stablestudio-plugin';

export interface ErrorInfo {
  code: string;
  message: string;
  hint?: string;
}

export type Slot =
  | { state: 'pending' }
  | { state: 'ready'; image: StableDiffusionImage }
  | { state: 'failed'; image: StableDiffusionImage };

/** One generation on screen: live (keyed by our clientId) or from the library (keyed by its ID). */
export interface Block {
  key: string;
  id?: string;
  prompt: string;
  input: StableDiffusionInput;
  createdAt: Date;
  /** ms timestamp, for the placeholders' elapsed time. */
  startedAt: number;
  running: boolean;
  slots: Slot[];
  /** The whole request failed. */
  error?: ErrorInfo;
}

interface StreamState {
  blocks: Block[];
  cursor?: string;
  hasMore: boolean;
  loading: boolean;
  historyError?: ErrorInfo;
}

export const useStreamStore = create<StreamState>()(() => ({
  blocks: [],
  hasMore: true,
  loading: false,
}));

export const promptOf = (input: StableDiffusionInput | undefined): string =>
  (input?.prompts ?? [])
    .filter((p) => (p.weight ?? 1) >= 0)
    .map((p) => p.text ?? '')
    .filter((text) => text !== '')
    .join(', ');

export const negativePromptOf = (input: StableDiffusionInput | undefined): string =>
  (input?.prompts ?? [])
    .filter((p) => (p.weight ?? 1) < 0)
    .map((p) => p.text ?? '')
    .join(', ');

const toSlot = (image: StableDiffusionImage): Slot =>
  image.src && image.finishReason !== 'ERROR' && image.finishReason !== 'CONTENT_FILTERED'
    ? { state: 'ready', image }
    : { state: 'failed', image };

/** A finished batch as a block; `base` keeps the live block's key and prompt. */
export const blockFromImages = (images: StableDiffusionImages, base?: Block): Block => {
  const list = images.images ?? [];
  const first = list.find((image) => image.input) ?? list[0];
  const input = base?.input ?? { ...first?.input, seed: 0 };
  return {
    key: base?.key ?? images.id,
    id: images.id,
    prompt: base?.prompt ?? promptOf(first?.input),
    input,
    createdAt: base?.createdAt ?? first?.createdAt ?? new Date(),
    startedAt: base?.startedAt ?? Date.now(),
    running: false,
    slots: list.map(toSlot),
  };
};

const updateBlock = (key: string, change: (block: Block) => Block): void =>
  useStreamStore.setState((state) => ({
    blocks: state.blocks.map((block) => (block.key === key ? change(block) : block)),
  }));

export const findBlock = (key: string): Block | undefined =>
  useStreamStore.getState().blocks.find((block) => block.key === key);

export const addPendingBlock = (block: Block): void =>
  useStreamStore.setState((state) => ({ blocks: [block, ...state.blocks] }));

export const markStarted = (key: string, id: string, createdAt: Date): void =>
  updateBlock(key, (block) => ({ ...block, id, createdAt }));

export const fillSlot = (key: string, index: number, image: StableDiffusionImage): void =>
  updateBlock(key, (block) => {
    if (index < 0 || index >= block.slots.length) return block;
    const slots = [...block.slots];
    slots[index] = toSlot({ ...image, input: image.input ?? block.input });
    return { ...block, slots };
  });

export const finishBlock = (key: string, images: StableDiffusionImages): void =>
  updateBlock(key, (block) => blockFromImages(images, block));

/** Another window's generation finished: show it on top unless it is already here. */
export const addFinishedBlock = (images: StableDiffusionImages): void =>
  useStreamStore.setState((state) =>
    state.blocks.some((block) => block.id === images.id)
      ? state
      : { blocks: [blockFromImages(images), ...state.blocks] },
  );

export const failBlock = (key: string, error: ErrorInfo): void =>
  updateBlock(key, (block) => {
    if (!block.running) return block;
    const slots: Slot[] =
      error.code === 'cancelled'
        ? block.slots.map((slot) =>
            slot.state === 'pending'
              ? { state: 'failed', image: { id: `${block.key}:${error.code}`, finishReason: 'ERROR', error } }
              : slot,
          )
        : block.slots.filter((slot) => slot.state !== 'pending');
    return { ...block, running: false, slots, ...(error.code === 'cancelled' ? {} : { error }) };
  });

export const appendHistory = (batches: StableDiffusionImages[], cursor: string | undefined): void =>
  useStreamStore.setState((state) => {
    const known = new Set(state.blocks.map((block) => block.id));
    const fresh = batches.filter((batch) => !known.has(batch.id)).map((batch) => blockFromImages(batch));
    return {
      blocks: [...state.blocks, ...fresh],
      cursor,
      hasMore: cursor !== undefined,
      loading: false,
      historyError: undefined,
    };
  });

export const runningKeys = (blocks: Block[]): string[] =>
  blocks.filter((block) => block.running).map((block) => block.key);

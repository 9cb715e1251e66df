import { create } from 'zustand';
import { promptOf } from '@stability/stablestudio-plugin';
import type {
  StableDiffusionImage,
  StableDiffusionImages,
  StableDiffusionInput,
  StableDiffusionSync,
} from '@stability/stablestudio-plugin';

export interface ErrorInfo {
  code: string;
  message: string;
  hint?: string;
}

export type Slot =
  /** `progress`: how far it got, when the work says (an upscale's tiles). */
  | { state: 'pending'; progress?: string }
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
  /** Cloud history state (absent: this computer only). */
  sync?: StableDiffusionSync;
  /** An edit's source image (and mask), as sent. */
  sources?: { src: string; maskSrc?: string };
}

interface StreamState {
  blocks: Block[];
  cursor?: string;
  hasMore: boolean;
  loading: boolean;
  historyError?: ErrorInfo;
  /** Bumped when the history is reset, so pages asked for before are dropped. */
  epoch: number;
}

/** What other features may read of the stream (through the façade). */
export type StreamView = Readonly<StreamState>;

export const useStreamStore = create<StreamState>()(() => ({
  blocks: [],
  hasMore: true,
  loading: false,
  epoch: 0,
}));

const toSlot = (image: StableDiffusionImage): Slot =>
  image.src && image.finishReason !== 'ERROR' && image.finishReason !== 'CONTENT_FILTERED'
    ? { state: 'ready', image }
    : { state: 'failed', image };

/** A finished batch as a block; `base` keeps the live block's key and prompt. */
export const blockFromImages = (images: StableDiffusionImages, base?: Block): Block => {
  const list = images.images ?? [];
  const first = list.find((image) => image.input) ?? list[0];
  const input = base?.input ?? { ...first?.input, seed: 0 };
  const sync = images.sync ?? base?.sync;
  const sources = images.sources ?? base?.sources;
  return {
    key: base?.key ?? images.id,
    id: images.id,
    prompt: base?.prompt ?? promptOf(first?.input),
    input,
    createdAt: base?.createdAt ?? images.createdAt ?? first?.createdAt ?? new Date(),
    startedAt: base?.startedAt ?? Date.now(),
    running: false,
    slots: list.map(toSlot),
    ...(sync ? { sync } : {}),
    ...(sources ? { sources } : {}),
  };
};

/** Applies a change to the blocks that match; a change answering undefined drops the block. */
export const changeBlocks = (
  blocks: Block[],
  match: (block: Block) => boolean,
  change: (block: Block) => Block | undefined,
): Block[] => {
  if (!blocks.some(match)) return blocks;
  const out: Block[] = [];
  for (const block of blocks) {
    const next = match(block) ? change(block) : block;
    if (next) out.push(next);
  }
  return out;
};

const updateBlocks = (match: (block: Block) => boolean, change: (block: Block) => Block | undefined): void =>
  useStreamStore.setState((state) => {
    const blocks = changeBlocks(state.blocks, match, change);
    return blocks === state.blocks ? state : { blocks };
  });

const updateBlock = (key: string, change: (block: Block) => Block): void =>
  updateBlocks((block) => block.key === key, change);

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

/** Work on a pending image advanced (an upscale's tiles): said on its placeholder. */
export const setSlotProgress = (key: string, index: number, message: string): void =>
  updateBlock(key, (block) => {
    const slot = block.slots[index];
    if (slot?.state !== 'pending') return block;
    const slots = [...block.slots];
    slots[index] = { state: 'pending', progress: message };
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

/**
 * Adds an older page. Batches already on screen (a page boundary that moved
 * because new generations arrived, or a generation shown live) are skipped.
 */
export const appendHistory = (batches: StableDiffusionImages[], cursor: string | undefined): void =>
  useStreamStore.setState((state) => {
    const known = new Set(state.blocks.map((block) => block.id));
    const fresh: Block[] = [];
    for (const batch of batches) {
      if (known.has(batch.id)) continue;
      known.add(batch.id);
      fresh.push(blockFromImages(batch));
    }
    return {
      blocks: [...state.blocks, ...fresh],
      cursor,
      hasMore: cursor !== undefined,
      loading: false,
      historyError: undefined,
    };
  });

/** Forget the loaded history (the library changed underneath, e.g. another project); live blocks stay. */
export const resetHistory = (): void =>
  useStreamStore.setState((state) => ({
    blocks: state.blocks.filter((block) => block.running),
    cursor: undefined,
    hasMore: true,
    loading: false,
    historyError: undefined,
    epoch: state.epoch + 1,
  }));

/** A block without images that left the library; undefined when nothing (or only failures) is left of it. */
export const withoutImages = (block: Block, imageIds: string[], remaining: number): Block | undefined => {
  if (imageIds.length === 0 || remaining === 0) return undefined;
  const gone = new Set(imageIds);
  const slots = block.slots.filter((slot) => slot.state === 'pending' || !gone.has(slot.image.id));
  return slots.some((slot) => slot.state !== 'failed') ? { ...block, slots } : undefined;
};

export const setSync = (generationId: string, sync: StableDiffusionSync): void =>
  updateBlocks(
    (block) => block.id === generationId,
    (block) => ({ ...block, sync }),
  );

/** Images left the library: drop them, or the whole block when nothing is left of it. */
export const removeImages = (generationId: string, imageIds: string[], remaining: number): void =>
  updateBlocks(
    (block) => block.id === generationId,
    (block) => withoutImages(block, imageIds, remaining),
  );

export const runningKeys = (blocks: Block[]): string[] =>
  blocks.filter((block) => block.running).map((block) => block.key);

import { describe, expect, it } from 'vitest';
import { announcementFor } from '../../src-renderer/Generate/announce';
import type { DreamState } from '../../src-renderer/Generate/announce';

type Block = DreamState;
type Slot = DreamState['slots'][number];

const ready = (): Slot => ({ state: 'ready', image: {} });
const blockOf = (slots: Slot[], extra: Partial<Block> = {}): Block => ({
  prompt: 'a paper crane',
  running: true,
  slots,
  ...extra,
});

describe('what a Dream says to a screen reader', () => {
  const pending: Slot = { state: 'pending' };

  it('says the start with the count and the prompt, then each image as it settles', () => {
    const started = blockOf([pending, pending]);
    expect(announcementFor(undefined, started)).toBe('Dreaming 2 images: a paper crane');
    const one = blockOf([ready(), pending]);
    expect(announcementFor(started, one)).toBe('1 of 2');
    // Nothing new settled: nothing to say.
    expect(announcementFor(one, blockOf([ready(), pending]))).toBeUndefined();
  });

  it('says the end: done, filtered and failed images counted apart', () => {
    const before = blockOf([ready(), pending, pending]);
    const after = blockOf(
      [
        ready(),
        { state: 'failed', image: { finishReason: 'CONTENT_FILTERED' } },
        { state: 'failed', image: { finishReason: 'ERROR' } },
      ],
      { running: false },
    );
    expect(announcementFor(before, after)).toBe('Done: 1 image, 1 filtered by the model’s safety checker, 1 failed');
  });

  it('says a failed Dream with its reason, and a cancelled one with what was kept', () => {
    const before = blockOf([pending]);
    expect(announcementFor(before, blockOf([], { running: false, error: { message: 'Too many requests' } }))).toBe(
      'Dream failed: Too many requests',
    );
    const cancelled = blockOf(
      [
        ready(),
        {
          state: 'failed',
          image: { finishReason: 'ERROR', error: { code: 'cancelled' } },
        },
      ],
      { running: false },
    );
    expect(announcementFor(blockOf([ready(), pending]), cancelled)).toBe('Dream cancelled: 1 image kept');
  });

  it('says nothing about history that was never running here', () => {
    expect(announcementFor(undefined, blockOf([ready()], { running: false }))).toBeUndefined();
  });
});

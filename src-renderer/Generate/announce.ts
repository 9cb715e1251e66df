/**
 * What a screen reader hears about a Dream: its start, each image as it arrives ("2 of 4"),
 * and its end (done, filtered, failed or cancelled). Pure: the previous and the new state of
 * one block in, the sentence to say (if any) out.
 */

/** What this reads of a generation on screen (a `Block` of the Generation feature). */
export interface DreamState {
  prompt: string;
  running: boolean;
  slots: ReadonlyArray<
    { state: 'pending' } | { state: 'ready' | 'failed'; image: { finishReason?: string; error?: { code: string } } }
  >;
  error?: { message: string };
}
type Block = DreamState;

const images = (n: number): string => `${n} ${n === 1 ? 'image' : 'images'}`;

const filtered = (block: Block): number =>
  block.slots.filter((slot) => slot.state === 'failed' && slot.image.finishReason === 'CONTENT_FILTERED').length;

const cancelled = (block: Block): boolean =>
  block.slots.some((slot) => slot.state === 'failed' && slot.image.error?.code === 'cancelled');

const settled = (block: Block): number => block.slots.filter((slot) => slot.state !== 'pending').length;

export const announcementFor = (before: Block | undefined, after: Block): string | undefined => {
  const total = after.slots.length;
  if (after.running) {
    if (!before) return `Dreaming ${images(total)}: ${after.prompt}`;
    const done = settled(after);
    return done > settled(before) ? `${done} of ${total}` : undefined;
  }
  if (!before?.running) return undefined;
  if (after.error) return `Dream failed: ${after.error.message}`;
  const ready = after.slots.filter((slot) => slot.state === 'ready').length;
  if (cancelled(after)) return `Dream cancelled: ${images(ready)} kept`;
  const blocked = filtered(after);
  const others = after.slots.length - ready - blocked;
  const parts = [`Done: ${images(ready)}`];
  if (blocked > 0) parts.push(`${blocked} filtered by the model’s safety checker`);
  if (others > 0) parts.push(`${others} failed`);
  return parts.join(', ');
};

import { monotonicFactory } from 'ulid';
import { describe, expect, it } from 'vitest';
import { editorDocumentSchema } from '../../src-shared/editor';
import type { EditorBoxResultsAnswer } from '../../src-shared/editor';
import { generationInputSchema } from '../../src-shared/generation';
import { keptResults, runsFromKept, runsWithoutSetAside, runsWithSetAside } from '../../src-renderer/Edit/runs';
import type { BoxRun } from '../../src-renderer/Edit/runs';

/** A box's finished Dream kept in the document, and shown again after a reload. */

const newId = monotonicFactory();
const [boxA, boxB, boxC, generationId, source, mask, image1, image2, image3] = Array.from({ length: 9 }, () =>
  newId(),
) as [string, string, string, string, string, string, string, string, string];
const url = (imageId: string): string => `/images/${generationId}/${imageId}.png`;
const input = generationInputSchema.parse({ prompt: 'a red door', modelId: 'sdxl', kind: 'inpaint' });

const done: BoxRun = {
  clientId: 'edit-1',
  state: 'done',
  kind: 'inpaint',
  count: 3,
  results: [image1, image2, image3].map((imageId, i) => ({ generationId, imageId, url: url(imageId), seed: 10 + i })),
  problems: ['One image was filtered.'],
  index: 1,
  sourceUploadId: source,
  maskUploadId: mask,
  made: { generationId, input, model: 'sdxl' },
};

describe('a box’s results across a reload', () => {
  it('keeps finished runs with results (of boxes still there), as the document’s schema takes them', () => {
    const runs: Record<string, BoxRun> = {
      [boxA]: done,
      // Still dreaming: not kept (its generation is in the history).
      [boxB]: { ...done, clientId: 'edit-2', state: 'running' },
      // Failed with nothing to choose from.
      [boxC]: { ...done, clientId: 'edit-3', state: 'failed', results: [], index: 0 },
    };
    const kept = keptResults(runs, new Set([boxA, boxB, boxC]));
    expect(kept).toEqual([
      {
        boxId: boxA,
        kind: 'inpaint',
        images: [
          { generationId, imageId: image1, seed: 10 },
          { generationId, imageId: image2, seed: 11 },
          { generationId, imageId: image3, seed: 12 },
        ],
        index: 1,
        sourceUploadId: source,
        maskUploadId: mask,
        made: { generationId, input, model: 'sdxl' },
      },
    ]);
    // No URL is stored: it is derived again on reading.
    expect(JSON.stringify(kept)).not.toContain('/images/');
    expect(keptResults(runs, new Set([boxB]))).toEqual([]);
    const document = editorDocumentSchema.parse({ version: 1, layers: [], results: kept });
    expect(document.results).toEqual(kept);
    // A document of before (no results) still reads; a shown result past the end does not.
    expect(editorDocumentSchema.safeParse({ version: 1, layers: [] }).success).toBe(true);
    const past = editorDocumentSchema.safeParse({ version: 1, layers: [], results: [{ ...kept[0], index: 3 }] });
    expect(past.success).toBe(false);
  });

  it('shows the same choices after a reload: results, the one shown, kind, uploads and parameters', () => {
    const kept = keptResults({ [boxA]: done });
    const answer: EditorBoxResultsAnswer = {
      urls: { [image1]: url(image1), [image2]: url(image2), [image3]: url(image3) },
      acceptable: true,
    };
    const runs = runsFromKept(kept, { [boxA]: answer });
    expect(runs[boxA]).toEqual({
      clientId: `kept-${boxA}`,
      state: 'done',
      kind: 'inpaint',
      count: 3,
      results: done.results,
      problems: [],
      index: 1,
      sourceUploadId: source,
      maskUploadId: mask,
      made: { generationId, input, model: 'sdxl' },
    });
    // Kept again unchanged: reading does not make a change to save.
    expect(keptResults(runs)).toEqual(kept);
  });

  it('leaves out results gone from the history and says so; a gone upload forbids Accept', () => {
    const kept = keptResults({ [boxA]: done, [boxB]: { ...done, index: 0 } });
    const runs = runsFromKept(kept, {
      // The shown one (image2) was deleted in the history: the first left is shown.
      [boxA]: { urls: { [image1]: url(image1), [image3]: url(image3) }, problem: '1 of 3 gone', acceptable: true },
      [boxB]: { urls: {}, problem: 'all gone', acceptable: false },
    });
    expect(runs[boxA]?.results.map((r) => r.imageId)).toEqual([image1, image3]);
    expect(runs[boxA]).toMatchObject({ state: 'done', index: 0, problems: ['1 of 3 gone'] });
    expect(runs[boxA]?.cannotAccept).toBeUndefined();
    expect(runs[boxB]).toMatchObject({ state: 'failed', results: [], problems: ['all gone'], cannotAccept: true });
    // Results of a box the main process said nothing of (no such box) are dropped.
    expect(runsFromKept(kept, {})).toEqual({});
  });
});

describe('a box’s results across an Accept and its undo', () => {
  const other: BoxRun = { ...done, clientId: 'edit-9', index: 0 };

  it('takes the results away on Accept and brings the same ones back (the same one shown) on undo', () => {
    const aside = { boxId: boxA, run: done };
    // While accepting, the run shows it is busy; that is not what comes back.
    const accepted = runsWithoutSetAside({ [boxA]: { ...done, accepting: true }, [boxB]: other }, aside);
    expect(accepted).toEqual({ [boxB]: other });
    const undone = runsWithSetAside(accepted, aside);
    expect(undone[boxA]).toEqual({ ...done, accepting: false });
    expect(undone[boxB]).toBe(other);
    // Saved as they were before the Accept.
    expect(keptResults(undone, new Set([boxA]))).toEqual(keptResults({ [boxA]: done }));
    // Redo accepts again, even after stepping through the choices in between.
    const stepped = { ...undone, [boxA]: { ...done, index: 2 } };
    expect(runsWithoutSetAside(stepped, aside)).toEqual({ [boxB]: other });
  });

  it('keeps a newer Dream of the box over the results an Accept took away', () => {
    const aside = { boxId: boxA, run: done };
    const newer = { [boxA]: other };
    expect(runsWithSetAside(newer, aside)).toBe(newer);
    expect(runsWithoutSetAside(newer, aside)).toBe(newer);
  });
});

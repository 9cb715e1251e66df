import { create } from 'zustand';
import type { EditorBoxResults, EditorBoxResultsAnswer, EditorMade } from '../../src-shared/editor';
import type { EditKind } from './compose';

/**
 * Dreams in boxes: each box's run (by box ID) and the results it shows as choices. A finished
 * run's choices are kept in the document, so a reload shows them again; a running one is not
 * (its generation is in the history).
 */

export interface BoxResult {
  generationId: string;
  imageId: string;
  url: string;
  seed: number;
}

export interface BoxRun {
  clientId: string;
  state: 'preparing' | 'running' | 'done' | 'failed' | 'cancelled';
  kind?: EditKind;
  /** How many images were asked for. */
  count: number;
  results: BoxResult[];
  /** Why images (or the whole request) failed, in words. */
  problems: string[];
  /** The result shown. */
  index: number;
  sourceUploadId?: string;
  maskUploadId?: string;
  /** The finished generation's parameters and model, which an accepted result keeps. */
  made?: Omit<EditorMade, 'seed'>;
  accepting?: boolean;
  /** Cancel was pressed: a request not yet known to the main process is cancelled once it starts. */
  cancelRequested?: boolean;
  /** Kept results whose source or mask upload is gone: they can be looked at, not accepted. */
  cannotAccept?: boolean;
}

interface RunState {
  runs: Record<string, BoxRun>;
}

export const useRunStore = create<RunState>()(() => ({ runs: {} }));

/** The runs worth keeping across a reload, as the document holds them: finished, with results, of these boxes. */
export const keptResults = (runs: Readonly<Record<string, BoxRun>>, boxIds?: ReadonlySet<string>): EditorBoxResults[] =>
  Object.entries(runs).flatMap(([boxId, run]) => {
    const finished = run.state === 'done' || run.state === 'cancelled' || run.state === 'failed';
    if (!finished || run.results.length === 0 || !run.kind || !run.sourceUploadId) return [];
    if (boxIds && !boxIds.has(boxId)) return [];
    return [
      {
        boxId,
        kind: run.kind,
        images: run.results.map(({ generationId, imageId, seed }) => ({ generationId, imageId, seed })),
        index: Math.min(run.index, run.results.length - 1),
        sourceUploadId: run.sourceUploadId,
        ...(run.maskUploadId ? { maskUploadId: run.maskUploadId } : {}),
        ...(run.made ? { made: run.made } : {}),
      },
    ];
  });

/**
 * The runs a stored document's kept results become, with the main process's answer for each
 * box: the same choices, the same one shown. A result gone from the history is left out, and
 * what is gone is said in the box.
 */
export const runsFromKept = (
  kept: readonly EditorBoxResults[],
  answers: Readonly<Record<string, EditorBoxResultsAnswer>>,
): Record<string, BoxRun> =>
  Object.fromEntries(
    kept.flatMap((stored) => {
      // The main process answers for each box the document has; results of any other are dropped.
      const answer = answers[stored.boxId];
      if (!answer) return [];
      const shown = stored.images[stored.index]?.imageId;
      const results = stored.images.flatMap((image) => {
        const url = answer.urls[image.imageId];
        return url ? [{ ...image, url }] : [];
      });
      const run: BoxRun = {
        clientId: `kept-${stored.boxId}`,
        state: results.length > 0 ? 'done' : 'failed',
        kind: stored.kind,
        count: stored.images.length,
        results,
        problems: answer.problem ? [answer.problem] : [],
        index: Math.max(
          0,
          results.findIndex((r) => r.imageId === shown),
        ),
        sourceUploadId: stored.sourceUploadId,
        ...(stored.maskUploadId ? { maskUploadId: stored.maskUploadId } : {}),
        ...(stored.made ? { made: stored.made } : {}),
        ...(answer.acceptable ? {} : { cannotAccept: true }),
      };
      return [[stored.boxId, run] as const];
    }),
  );

/** A box's results an Accept took away: undoing the Accept brings them back, redoing it drops them again. */
export interface SetAside {
  boxId: string;
  run: BoxRun;
}

/** The runs once an Accept is undone: the box's results as they were (unless it has dreamt again since). */
export const runsWithSetAside = (
  runs: Readonly<Record<string, BoxRun>>,
  aside: SetAside,
): Readonly<Record<string, BoxRun>> =>
  runs[aside.boxId] ? runs : { ...runs, [aside.boxId]: { ...aside.run, accepting: false } };

/** The runs once an Accept is done (or redone): without the box's results, if they are still the ones it took. */
export const runsWithoutSetAside = (
  runs: Readonly<Record<string, BoxRun>>,
  aside: SetAside,
): Readonly<Record<string, BoxRun>> => {
  if (runs[aside.boxId]?.clientId !== aside.run.clientId) return runs;
  const { [aside.boxId]: _taken, ...rest } = runs;
  return rest;
};

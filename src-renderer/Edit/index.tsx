import './tabs.css';
import { Suspense, lazy } from 'react';
import type { ReactElement } from 'react';
import { negativePromptOf, promptOf } from '@stability/stablestudio-plugin';
import type { StableDiffusionInput } from '@stability/stablestudio-plugin';
import { maxCount } from '../../src-shared/sdxl';
import { lazyPart } from '../Lazy';
import { showError } from '../Toast';
import { WorkspaceTabs, panelId } from './Tabs';
import { setWorkspace, useWorkspaceStore } from './workspace';
import type { Workspace } from './workspace';

/**
 * The Edit tab: the Generate | Edit tabs, and the editor itself, which loads (with Konva) on
 * first use, off the start-up bundle. Other features bring images in through `editImage`.
 */
const part = lazyPart(() => import('./Editor'));
const Editor = lazy(() => part.load().then((loaded) => ({ default: loaded.Editor })));

export { WorkspaceTabs, panelId };
export type { Workspace };

/** The workspace shown: Generate or Edit. */
export const useWorkspace = (): Workspace => useWorkspaceStore((s) => s.workspace);
export const currentWorkspace = (): Workspace => useWorkspaceStore.getState().workspace;
export const showWorkspace = (workspace: Workspace): void => setWorkspace(workspace);

/** An image of the history to edit: which one, and the name its layer gets. */
export interface EditTarget {
  generationId: string;
  imageId: string;
  name: string;
}

/** Opens the Edit tab with this image of the history as a new layer on top. */
export const editImage = (target: EditTarget): void => {
  setWorkspace('edit');
  part
    .load()
    .then((loaded) => loaded.addFromLibrary(target))
    .catch((error: unknown) => showError('Could not bring the image into the editor', error));
};

/** An edit of the history to reopen in the Edit tab: its source image and what it was asked. */
export interface EditGeneration {
  sourceSrc: string;
  name: string;
  input: StableDiffusionInput;
  count: number;
}

/** A generation's parameters as a dream box's (its place and size come from the recorded box). */
const boxParameters = (input: StableDiffusionInput, count: number) => ({
  prompt: promptOf(input).slice(0, 2000),
  negativePrompt: negativePromptOf(input).slice(0, 2000),
  modelId: input.model ?? '',
  stylePreset: input.style ?? '',
  count: Math.min(Math.max(1, count), maxCount),
  cfgScale: input.cfgScale ?? 7,
  steps: input.steps ?? 30,
  seed: input.seed ?? 0,
  strength: input.initialImage?.weight ?? 0.35,
});

/** Reopens an edit in the Edit tab: its source image as a layer, its box (place, size, parameters) over it. */
export const openInEdit = (target: EditGeneration): void => {
  const { input } = target;
  setWorkspace('edit');
  part
    .load()
    .then((loaded) =>
      loaded.openEditGeneration({
        sourceSrc: target.sourceSrc,
        name: target.name,
        ...(input.box ? { box: input.box } : {}),
        parameters: boxParameters(input, target.count),
      }),
    )
    .catch((error: unknown) => showError('Could not open the edit in the editor', error));
};

/**
 * Reuse parameters on an edit made in a dream box: the box again in the Edit tab, at its recorded
 * place and size, with the edit's parameters (over whatever the canvas holds now).
 */
export const restoreEditBox = (input: StableDiffusionInput, count: number): boolean => {
  const box = input.box;
  if (!box) return false;
  part
    .load()
    .then((loaded) => loaded.restoreBox({ box, parameters: boxParameters(input, count) }))
    .catch((error: unknown) => showError('Could not restore the box in the editor', error));
  return true;
};

/** While the editor's code loads: the Edit sidebar's frame, so the tabs stay where they were. */
const Loading = (): ReactElement => (
  <>
    <aside className="ss-sidebar" aria-label="Edit options">
      <div className="ss-sidebar__header">
        <WorkspaceTabs />
      </div>
    </aside>
    <main className="ss-edit-loading" id={panelId('edit')} aria-busy="true">
      Loading the editor…
    </main>
  </>
);

/** The Edit workspace (sidebar and canvas), rendered into the studio's body while Edit is selected. */
export const EditWorkspace = (): ReactElement => (
  <Suspense fallback={<Loading />}>
    <Editor />
  </Suspense>
);

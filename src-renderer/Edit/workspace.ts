import { create } from 'zustand';

/** The two workspaces of the studio, as StableStudio has them: Generate and Edit. */
export type Workspace = 'generate' | 'edit';

interface WorkspaceState {
  workspace: Workspace;
}

export const useWorkspaceStore = create<WorkspaceState>()(() => ({ workspace: 'generate' }));

export const setWorkspace = (workspace: Workspace): void => useWorkspaceStore.setState({ workspace });

import { useLayoutEffect, useRef } from 'react';
import type { KeyboardEvent, ReactElement } from 'react';
import { GridIcon, PencilIcon } from '../Icon';
import { setWorkspace, useWorkspaceStore } from './workspace';
import type { Workspace } from './workspace';

const tabs: Array<{ id: Workspace; label: string; icon: ReactElement }> = [
  { id: 'generate', label: 'Generate', icon: <GridIcon size={15} /> },
  { id: 'edit', label: 'Edit', icon: <PencilIcon size={15} /> },
];

/** The id of a workspace's tab, and of the panel it controls. */
export const tabId = (workspace: Workspace): string => `ss-tab-${workspace}`;
export const panelId = (workspace: Workspace): string => `ss-panel-${workspace}`;

/** Set when a tab list holding the focus goes away: the one that replaces it takes the focus. */
let refocus = false;

/**
 * Generate | Edit, in the sidebar's header (each workspace's sidebar shows it). A tab list as
 * WAI-ARIA describes it: one tab in the Tab order, arrow keys, Home and End move and select.
 */
export const WorkspaceTabs = (): ReactElement => {
  const workspace = useWorkspaceStore((s) => s.workspace);
  const selected = useRef<HTMLButtonElement>(null);
  const list = useRef<HTMLDivElement>(null);

  // Switching remounts the sidebar (and the editor's sidebar replaces its loading frame): when the
  // focus was on a tab, it moves to the tab now selected, so the keyboard user stays in the tab list.
  useLayoutEffect(() => {
    if (refocus) {
      refocus = false;
      selected.current?.focus();
    }
    const element = list.current;
    return () => {
      if (element?.contains(document.activeElement)) refocus = true;
    };
  }, []);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    const index = tabs.findIndex((t) => t.id === workspace);
    const to =
      event.key === 'ArrowRight'
        ? (index + 1) % tabs.length
        : event.key === 'ArrowLeft'
          ? (index - 1 + tabs.length) % tabs.length
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? tabs.length - 1
              : -1;
    const next = tabs[to];
    if (!next) return;
    event.preventDefault();
    if (next.id === workspace) selected.current?.focus();
    else setWorkspace(next.id);
  };

  return (
    <div ref={list} className="ss-tabs" role="tablist" aria-label="Workspace" onKeyDown={onKeyDown}>
      {tabs.map((tab) => {
        const active = tab.id === workspace;
        return (
          <button
            key={tab.id}
            ref={active ? selected : undefined}
            id={tabId(tab.id)}
            type="button"
            role="tab"
            className="ss-tab"
            aria-selected={active}
            aria-controls={active ? panelId(tab.id) : undefined}
            tabIndex={active ? 0 : -1}
            onClick={() => setWorkspace(tab.id)}
          >
            {tab.icon}
            {tab.label}
          </button>
        );
      })}
    </div>
  );
};

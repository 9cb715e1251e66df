import { describe, expect, it } from 'vitest';

import { rendererGraph } from './import-graph';
import type { Graph } from './import-graph';

/** A cycle as the list of files around it (first = last), or undefined when the graph has none. */
const findCycle = (graph: Graph): string[] | undefined => {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (node: string): string[] | undefined => {
    state.set(node, 'open');
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') return [...path.slice(path.indexOf(next)), next];
      if (!state.has(next)) {
        const cycle = visit(next);
        if (cycle) return cycle;
      }
    }
    path.pop();
    state.set(node, 'done');
    return undefined;
  };
  for (const node of graph.keys()) {
    if (state.has(node)) continue;
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return undefined;
};

/** The feature a file belongs to: its first folder under src-renderer ('' for files at the top). */
const featureOf = (file: string): string => (file.includes('/') ? (file.split('/')[0] ?? '') : '');

const isFacade = (file: string): boolean => /^[^/]+\/index\.tsx?$/.test(file);

/** Imports from one feature into another that do not go through the other's index.ts. */
const facadeBypasses = (graph: Graph): string[] =>
  [...graph].flatMap(([from, targets]) =>
    targets.filter((to) => featureOf(to) !== featureOf(from) && !isFacade(to)).map((to) => `${from} → ${to}`),
  );

/** Only these reach the main process's bridge: the plugin (Stable Diffusion) and app-services (the rest). */
const bridgeUsers = new Set(['app-services', 'plugin-sagemaker', 'bridge']);

describe('the detectors', () => {
  it('find a cycle, and a feature reaching past another’s index.ts', () => {
    const graph: Graph = new Map([
      ['A/index.ts', ['A/a.ts']],
      ['A/a.ts', ['B/index.ts']],
      ['B/index.ts', ['B/b.ts']],
      ['B/b.ts', ['A/a.ts']],
    ]);
    expect(findCycle(graph)).toEqual(['A/a.ts', 'B/index.ts', 'B/b.ts', 'A/a.ts']);
    expect(facadeBypasses(graph)).toEqual(['B/b.ts → A/a.ts']);
    graph.set('B/b.ts', []);
    expect(findCycle(graph)).toBeUndefined();
  });

  it('read real sources: the renderer’s entry imports the App feature', () => {
    const graph = rendererGraph();
    expect(graph.get('main.tsx')).toContain('App/index.ts');
    expect(graph.size).toBeGreaterThan(50);
  });
});

describe('the renderer’s imports', () => {
  const graph = rendererGraph();

  it('have no cycle', () => {
    expect(findCycle(graph)).toBeUndefined();
  });

  it('reach another feature only through its index.ts', () => {
    expect(facadeBypasses(graph)).toEqual([]);
  });

  it('reach the main process only through the plugin and app-services', () => {
    const users = [...graph]
      .filter(([, targets]) => targets.some((to) => featureOf(to) === 'bridge'))
      .map(([from]) => from)
      .filter((from) => !bridgeUsers.has(featureOf(from)));
    expect(users).toEqual([]);
  });
});

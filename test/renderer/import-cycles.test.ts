import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The renderer's real import graph, read from its sources: every `import`, `export … from` and
 * `import()` (type-only ones too: a feature that needs another's types depends on it), with
 * relative paths and the plugin API's alias resolved to files.
 */

const root = resolve(import.meta.dirname, '../../src-renderer');
const pluginAlias = '@stability/stablestudio-plugin';

type Graph = Map<string, string[]>;

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });

const resolveFile = (base: string): string | undefined =>
  [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), join(base, 'index.tsx')].find(
    (candidate) => existsSync(candidate) && statSync(candidate).isFile(),
  );

const specifiers = (file: string): string[] => {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      if (ts.isStringLiteral(node.moduleSpecifier)) found.push(node.moduleSpecifier.text);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      found.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
};

/** File → the renderer files it imports (paths relative to src-renderer, `/`-separated). */
const rendererGraph = (): Graph => {
  const name = (path: string): string => relative(root, path).split(sep).join('/');
  const graph: Graph = new Map();
  for (const file of sourceFiles(root)) {
    const targets: string[] = [];
    for (const specifier of specifiers(file)) {
      let base: string | undefined;
      if (specifier === pluginAlias) base = join(root, 'plugin-api');
      else if (specifier.startsWith('.')) base = resolve(dirname(file), specifier.replace(/\?.*$/, ''));
      // Packages, styles and assets are not renderer modules.
      if (!base || !base.startsWith(root + sep)) continue;
      const target = resolveFile(base);
      if (target) targets.push(name(target));
    }
    graph.set(name(file), targets);
  }
  return graph;
};

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

import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

/**
 * The renderer's real import graph, read from its sources: every `import`, `export … from` and
 * `import()`, with relative paths and the plugin API's alias resolved to files.
 */

const repo = resolve(import.meta.dirname, '../..');
const renderer = join(repo, 'src-renderer');
const pluginAlias = '@stability/stablestudio-plugin';

/** File → the files it imports (paths relative to src-renderer, `/`-separated; `../src-shared/…` beyond it). */
export type Graph = Map<string, string[]>;

interface Import {
  specifier: string;
  /** `import type` / `export type`: erased, never loaded. */
  typeOnly: boolean;
  /** `import()`: loaded when the code runs, in a chunk of its own. */
  dynamic: boolean;
}

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

const importsOf = (file: string): Import[] => {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false);
  const found: Import[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push({
        specifier: node.moduleSpecifier.text,
        typeOnly: node.importClause?.isTypeOnly ?? false,
        dynamic: false,
      });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push({ specifier: node.moduleSpecifier.text, typeOnly: node.isTypeOnly, dynamic: false });
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      found.push({ specifier: node.arguments[0].text, typeOnly: false, dynamic: true });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
};

const name = (path: string): string => relative(renderer, path).split(sep).join('/');

/** Where an import leads: a source file, a package, or nothing we follow (styles, assets). */
const target = (from: string, specifier: string): { file: string } | { package: string } | undefined => {
  if (specifier === pluginAlias) {
    const file = resolveFile(join(renderer, 'plugin-api'));
    return file ? { file } : undefined;
  }
  if (!specifier.startsWith('.'))
    return {
      package: specifier
        .split('/')
        .slice(0, specifier.startsWith('@') ? 2 : 1)
        .join('/'),
    };
  const file = resolveFile(resolve(dirname(from), specifier.replace(/\?.*$/, '')));
  return file ? { file } : undefined;
};

/** Every import between the renderer's own files (type-only and dynamic ones too: both are dependencies). */
export const rendererGraph = (): Graph => {
  const graph: Graph = new Map();
  for (const file of sourceFiles(renderer)) {
    const targets: string[] = [];
    for (const { specifier } of importsOf(file)) {
      const to = target(file, specifier);
      if (to && 'file' in to && to.file.startsWith(renderer + sep)) targets.push(name(to.file));
    }
    graph.set(name(file), targets);
  }
  return graph;
};

/**
 * What the page loads before anything is asked for: the modules reached from `entry` by static,
 * non-type imports (into src-shared too), and the packages they import.
 */
export const startupModules = (entry = 'main.tsx'): { files: Set<string>; packages: Set<string> } => {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string): void => {
    if (files.has(name(file))) return;
    files.add(name(file));
    for (const { specifier, typeOnly, dynamic } of importsOf(file)) {
      if (typeOnly || dynamic) continue;
      const to = target(file, specifier);
      if (!to) continue;
      if ('package' in to) packages.add(to.package);
      else if (to.file.startsWith(repo + sep)) visit(to.file);
    }
  };
  visit(join(renderer, entry));
  return { files, packages };
};

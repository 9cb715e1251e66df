import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The repository's root, and the built renderer that web mode serves. */
const root = join(import.meta.dirname, '..', '..');
export const rendererDir = join(root, 'out', 'renderer');

const newest = (dir: string): number =>
  readdirSync(dir, { withFileTypes: true }).reduce((latest, entry) => {
    const path = join(dir, entry.name);
    return Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }, 0);

/** Builds the app when there is no build or a source is newer than it: never measures a stale build. */
export const ensureBuilt = (): void => {
  const built = join(rendererDir, 'index.html');
  const sources = ['src-renderer', 'src-shared', 'src-main', 'src-preload', 'resources'];
  if (existsSync(built) && sources.every((dir) => newest(join(root, dir)) < statSync(built).mtimeMs)) return;
  execFileSync(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], {
    cwd: root,
    stdio: 'ignore',
  });
};

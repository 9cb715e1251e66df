import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The specs drive the built app; build it once if `npm run build` has not run. */
export default function globalSetup(): void {
  const root = join(import.meta.dirname, '..');
  const built = ['out/main/server.js', 'out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html'];
  if (built.every((f) => existsSync(join(root, f)))) return;
  execFileSync(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], {
    cwd: root,
    stdio: 'inherit',
  });
}

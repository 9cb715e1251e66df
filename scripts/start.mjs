#!/usr/bin/env node
// `npm start` / `npm run dev`: launch the desktop app, or say in one line why it cannot start here.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const dev = process.argv.includes('--dev');
const require = createRequire(import.meta.url);

const electronBinary = () => {
  const pkgDir = dirname(require.resolve('electron/package.json'));
  const pathFile = join(pkgDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : undefined;
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH)
    return join(process.env.ELECTRON_OVERRIDE_DIST_PATH, relative ?? 'electron');
  return relative ? join(pkgDir, 'dist', relative) : undefined;
};

let binary = electronBinary();
if (!binary || !existsSync(binary)) {
  // Electron downloads its binary on first use; try once, quietly.
  const pkgDir = dirname(require.resolve('electron/package.json'));
  const tried = spawnSync(process.execPath, [join(pkgDir, 'install.js')], { stdio: 'ignore', timeout: 180_000 });
  binary = electronBinary();
  if (tried.status !== 0 || !binary || !existsSync(binary)) {
    console.error(
      "Electron's binary is not installed and could not be downloaded on this machine; run `npm run serve` to use StableStudio Desktop in your browser instead.",
    );
    process.exit(1);
  }
}

const run = (args) =>
  spawnSync(
    process.execPath,
    [join(dirname(require.resolve('electron-vite/package.json')), 'bin', 'electron-vite.js'), ...args],
    { stdio: 'inherit' },
  );
const result = dev ? run([]) : run(['preview']);
process.exit(result.status ?? 1);

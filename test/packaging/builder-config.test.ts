/**
 * The installers cannot be built here (electron-builder downloads Electron), so their
 * configuration is checked instead: against electron-builder's own JSON schema, for what it
 * ships (the build and resources, nothing of the sources, tests or fakes), and for the fuses
 * flipped in the packaged binary.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { minimatch } from 'minimatch';
import { describe, expect, it } from 'vitest';
import { appId } from '../../src-main/core/paths';

const root = join(import.meta.dirname, '..', '..');
const require = createRequire(import.meta.url);
const config = JSON.parse(readFileSync(join(root, 'electron-builder.json'), 'utf8')) as Record<string, unknown> & {
  files: string[];
  electronFuses: Record<string, boolean>;
  protocols: Array<{ schemes: string[] }>;
  fileAssociations: Array<{ ext: string }>;
  mac: { target: Array<{ target: string; arch: string[] }> };
  linux: { target: string[]; mimeTypes: string[] };
  win: { target: Array<{ target: string }> };
  nsis: Record<string, unknown>;
};
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  productName: string;
  main: string;
  scripts: Record<string, string>;
};

/** Whether electron-builder's `files` patterns (later ones win; `!` excludes) ship `path`. */
const ships = (path: string): boolean => {
  let included = false;
  for (const pattern of config.files) {
    if (pattern.startsWith('!')) {
      if (minimatch(path, pattern.slice(1), { dot: true })) included = false;
    } else if (minimatch(path, pattern, { dot: true })) included = true;
  }
  return included;
};

describe('electron-builder configuration', () => {
  it('is valid against electron-builder’s own schema (app-builder-lib/scheme.json)', () => {
    const schema = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8')) as object;
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile(schema);
    const valid = validate(config);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);

    // The check can fail: a misspelt key is refused.
    expect(validate({ ...config, fileAsociations: [] })).toBe(false);
  });

  it('ships the build and the resources, and nothing of the sources, tests, fakes or benchmarks', () => {
    for (const path of [
      pkg.main,
      'out/main/server.js',
      'out/preload/index.cjs',
      'out/renderer/index.html',
      'resources/icon.png',
      'resources/styles/anime.webp',
      'package.json',
    ])
      expect(ships(path), path).toBe(true);
    for (const path of [
      'src-main/core/index.ts',
      'src-renderer/main.tsx',
      'src-shared/contract.ts',
      'src-preload/index.ts',
      'test/fakes/sagemaker-endpoint.ts',
      'test/core/cloud.test.ts',
      'e2e/generate.spec.ts',
      'bench/history.ts',
      'scripts/start.mjs',
      '.ci/run',
      'out/main/index.js.map',
      'electron-builder.json',
    ])
      expect(ships(path), path).toBe(false);
  });

  it('builds each platform’s installers, registers stablestudio:// and opens PNG files', () => {
    expect(config.productName).toBe(pkg.productName);
    // The same ID Windows notifications are sent under.
    expect(config.appId).toBe(appId);
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.mac.target.map((t) => [t.target, [...t.arch].sort()])).toEqual([
      ['dmg', ['arm64', 'x64']],
      ['zip', ['arm64', 'x64']],
    ]);
    expect(config.win.target.map((t) => t.target)).toEqual(['nsis']);
    // Per user, with an uninstaller that leaves the library alone.
    expect(config.nsis).toMatchObject({ oneClick: false, perMachine: false, deleteAppDataOnUninstall: false });
    expect(config.protocols.flatMap((p) => p.schemes)).toEqual(['stablestudio']);
    expect(config.linux.mimeTypes).toContain('x-scheme-handler/stablestudio');
    expect(config.fileAssociations.map((f) => f.ext)).toEqual(['png']);
    expect(pkg.scripts.dist).toMatch(/electron-vite build/);
    expect(pkg.scripts.dist).toMatch(/make-icon\.mjs --size 1024 --out build\/icon\.png/);
    expect(pkg.scripts.dist).toMatch(/electron-builder/);
    expect(config.icon).toBe('build/icon.png');
  });

  it('flips the fuses: no RunAsNode, NODE_OPTIONS or --inspect; cookies encrypted; the app only from a checked ASAR', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
    // ASAR integrity needs an ASAR with its hash embedded.
    expect(config.asar).toBe(true);
  });
});

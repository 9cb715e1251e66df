import { describe, expect, it } from 'vitest';
import { rendererGraph, startupModules } from './import-graph';

/** What must wait until it is used: each loads in a chunk of its own (issue: first paint). */
const lazyParts = [
  'Settings/SettingsDialog.tsx',
  'Settings/store.ts',
  'Viewer/Viewer.tsx',
  'Shortcut/Palette.tsx',
  'Import/importFile.ts',
  'Import/parameters.ts',
  'Upload/upload.ts',
  'Upload/Body.tsx',
  'Edit/Editor.tsx',
  'Edit/Canvas.tsx',
  'Edit/store.ts',
];

describe('the start-up bundle', () => {
  const { files, packages } = startupModules();

  it('is read from the real entry, through the features into src-shared', () => {
    expect(files).toContain('App/index.ts');
    expect(files).toContain('Generate/Stream.tsx');
    expect(files).toContain('../src-shared/sdxl.ts');
    expect(packages).toContain('react-dom');
  });

  it('holds no Konva: the Edit tab’s canvas loads on first use', () => {
    expect(packages).not.toContain('konva');
    expect(packages).not.toContain('react-konva');
    expect(files).toContain('Edit/index.tsx');
  });

  it('holds no zod: the contract’s schemas load with the parts that need them', () => {
    expect(packages).not.toContain('zod');
    expect([...files].filter((file) => file.startsWith('../src-shared/'))).not.toContain('../src-shared/contract.ts');
  });

  it('holds none of the parts that load on first use', () => {
    expect(lazyParts.filter((part) => files.has(part))).toEqual([]);
    // The parts themselves exist (a renamed file would make this test pass for nothing).
    const all = rendererGraph();
    expect(lazyParts.filter((part) => !all.has(part))).toEqual([]);
  });
});

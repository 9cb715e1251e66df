import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore } from '../../src-main/core';
import type { Core } from '../../src-main/core';
import type { ImageRef } from '../../src-main/core/policy';
import { JsonFileSettingsBackend } from '../../src-main/core/settings';
import type { OperationName, OutputOf, InputOf } from '../../src-shared/contract';
import type { AppError } from '../../src-shared/errors';
import type { StudioEvent } from '../../src-shared/generation';
import { defaultSettings } from '../../src-shared/settings';
import type { SettingsInput } from '../../src-shared/settings';

export const tempDataDir = (): string => mkdtempSync(join(tmpdir(), 'studio-data-'));

/** A core exactly as web mode wires it, on a data directory of the test's own. */
export const startCore = (
  dataDir = tempDataDir(),
  invokeTimeoutMs?: number,
): Core & { dataDir: string; seen: StudioEvent[] } => {
  const core = createCore({
    dataDir,
    ...(invokeTimeoutMs ? { invokeTimeoutMs } : {}),
    settingsBackend: new JsonFileSettingsBackend(join(dataDir, 'settings.json')),
    imageUrl: (g, f) => `/images/${g}/${f}`,
  });
  const seen: StudioEvent[] = [];
  core.events.subscribe((e) => seen.push(e));
  return { ...core, dataDir, seen };
};

/** Calls an operation through the dispatcher (validation included) and returns the value, or throws the AppError. */
export const call = async <N extends OperationName>(core: Core, name: N, input?: InputOf<N>): Promise<OutputOf<N>> => {
  const result = await core.dispatch(name, input);
  if (!result.ok) throw Object.assign(new Error(result.error.message), { appError: result.error });
  return result.value as OutputOf<N>;
};

/** Calls an operation that must fail and returns its error. */
export const callError = async <N extends OperationName>(
  core: Core,
  name: N,
  input?: InputOf<N>,
): Promise<AppError> => {
  const result = await core.dispatch(name, input);
  if (result.ok) throw new Error(`${name} succeeded but was expected to fail`);
  return result.error;
};

/** Sets the whole settings: the defaults with `patch` over them (saveSettings alone would keep the rest). */
export const configure = async (core: Core, patch: SettingsInput): Promise<void> => {
  await call(core, 'saveSettings', { ...defaultSettings(), ...patch });
};

/** The file behind an image URL's reference, or a thrown error saying why there is none. */
export const imagePath = async (core: Core, ref: ImageRef): Promise<string> => {
  const found = await core.images.resolve(ref);
  if ('problem' in found) throw new Error(found.problem);
  return found.path;
};

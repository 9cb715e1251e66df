import { create } from 'zustand';
import { defaultInputLimitPx, defaultSettings, fieldErrors, settingsSchema } from '../../src-shared/settings';
import type { AwsService, ModelConfig, Settings } from '../../src-shared/settings';
import type { AppError } from '../../src-shared/errors';
import type { ConnectionReport, EndpointSummary, ProfileList } from '../../src-shared/aws';
import { formatInfo } from '../../src-shared/formats';
import * as appServices from '../app-services';
import { guessFormat, parseModelList, uniqueModelId } from './modelList';

export type ImportMode = 'merge' | 'replace';

/** The "Paste JSON" panel. */
export interface PasteState {
  open: boolean;
  text: string;
  mode: ImportMode;
  error?: string;
}

const closedPaste: PasteState = { open: false, text: '', mode: 'merge' };

/** A helper call's progress (profile list, endpoint discovery, connection test). */
export type Lookup<T> =
  { state: 'idle' } | { state: 'loading' } | { state: 'done'; value: T } | { state: 'failed'; error: AppError };

interface SettingsDialogState {
  open: boolean;
  /** Open requests so far (see useModal). */
  openings: number;
  loading: boolean;
  saving: boolean;
  draft: Settings;
  /** Stable React keys for the model rows. */
  rowKeys: string[];
  /** The row whose first input takes focus (just added). */
  focusRow?: string;
  /** Field messages keyed by dotted path (`models.0.endpointName`). */
  errors: Record<string, string>;
  /** A failure not tied to one field. */
  formError?: AppError;
  advancedOpen: boolean;
  profiles: Lookup<ProfileList>;
  endpoints: Lookup<EndpointSummary[]>;
  connection: Lookup<ConnectionReport>;
  paste: PasteState;
  /** What the last import or Discover add did, said once under the model tools. */
  modelsNote?: string;
}

let rowSeq = 0;
const newRowKey = (): string => `row-${++rowSeq}`;

export const useSettingsStore = create<SettingsDialogState>()(() => ({
  open: false,
  openings: 0,
  loading: false,
  saving: false,
  draft: defaultSettings(),
  rowKeys: [],
  errors: {},
  advancedOpen: false,
  profiles: { state: 'idle' },
  endpoints: { state: 'idle' },
  connection: { state: 'idle' },
  paste: closedPaste,
}));

const set = useSettingsStore.setState;
const get = useSettingsStore.getState;

const isAdvancedPath = (path: string): boolean =>
  path.startsWith('endpointOverrides.') || path === 'concurrency' || path === 'signInLoopbackPort';

const withoutErrors = (errors: Record<string, string>, drop: (path: string) => boolean): Record<string, string> =>
  Object.fromEntries(Object.entries(errors).filter(([path]) => !drop(path)));

const showErrors = (errors: Record<string, string>): void =>
  set((state) => ({
    errors,
    advancedOpen: state.advancedOpen || Object.keys(errors).some(isAdvancedPath),
  }));

export const openSettings = async (): Promise<void> => {
  if (get().open) return;
  set((state) => ({
    open: true,
    openings: state.openings + 1,
    loading: true,
    saving: false,
    errors: {},
    formError: undefined,
    draft: defaultSettings(),
    rowKeys: [],
    advancedOpen: false,
    profiles: { state: 'idle' },
    endpoints: { state: 'idle' },
    connection: { state: 'idle' },
    paste: closedPaste,
    modelsNote: undefined,
  }));
  void loadProfiles();
  const result = await appServices.getSettings();
  if (!get().open) return;
  if (result.ok) {
    set({
      loading: false,
      draft: result.value,
      rowKeys: result.value.models.map(newRowKey),
      // Overrides in use are worth seeing; otherwise Advanced stays folded.
      advancedOpen: Object.values(result.value.endpointOverrides).some((url) => url !== ''),
    });
  } else {
    set({
      loading: false,
      formError: {
        ...result.error,
        hint: result.error.hint ?? 'The defaults are shown; saving replaces the stored settings.',
      },
    });
  }
};

export const closeSettings = (): void =>
  set({ open: false, loading: false, saving: false, errors: {}, formError: undefined });

/** Settings that change what AWS the dialog reaches (and so which endpoints it finds). */
const reachKeys = new Set([
  'credentialsMode',
  'profile',
  'identityPoolId',
  'cognitoClassicFlow',
  'cognitoRoleArn',
  'userPoolId',
  'userPoolClientId',
  'region',
]);

export const updateDraft = (partial: Partial<Settings>): void =>
  set((state) => ({
    draft: { ...state.draft, ...partial },
    errors: withoutErrors(state.errors, (path) => Object.keys(partial).includes(path.split('.')[0] ?? '')),
    // A report about other values would mislead.
    connection: { state: 'idle' },
    ...(Object.keys(partial).some((key) => reachKeys.has(key)) ? { endpoints: { state: 'idle' } as const } : {}),
  }));

export const updateOverride = (service: AwsService, value: string): void =>
  set((state) => ({
    draft: { ...state.draft, endpointOverrides: { ...state.draft.endpointOverrides, [service]: value } },
    errors: withoutErrors(state.errors, (path) => path === `endpointOverrides.${service}`),
    connection: { state: 'idle' },
    endpoints: { state: 'idle' },
  }));

export const updateModel = (index: number, partial: Partial<ModelConfig>): void =>
  set((state) => ({
    draft: {
      ...state.draft,
      models: state.draft.models.map((model, i) => (i === index ? { ...model, ...partial } : model)),
    },
    errors: withoutErrors(state.errors, (path) =>
      Object.keys(partial).some((field) => path === `models.${index}.${field}`),
    ),
    connection: { state: 'idle' },
  }));

export const addModel = (model?: ModelConfig): void =>
  set((state) => {
    const key = newRowKey();
    return {
      draft: {
        ...state.draft,
        models: [
          ...state.draft.models,
          model ?? {
            modelId: '',
            modelName: '',
            endpointName: '',
            format: 'stability',
            inputLimit: defaultInputLimitPx,
          },
        ],
      },
      rowKeys: [...state.rowKeys, key],
      ...(model ? {} : { focusRow: key }),
      connection: { state: 'idle' },
    };
  });

export const removeModel = (index: number): void =>
  set((state) => ({
    draft: { ...state.draft, models: state.draft.models.filter((_, i) => i !== index) },
    rowKeys: state.rowKeys.filter((_, i) => i !== index),
    // Row numbers shift; old messages would point at the wrong rows.
    errors: withoutErrors(state.errors, (path) => path === 'models' || path.startsWith('models.')),
    connection: { state: 'idle' },
  }));

export const toggleAdvanced = (): void => set((state) => ({ advancedOpen: !state.advancedOpen }));

/**
 * Validate here (same schema as the main side), then save. Returns true once
 * the settings are stored; otherwise the messages are in the store.
 */
export const saveSettings = async (): Promise<boolean> => {
  const { draft, saving } = get();
  if (saving) return false;
  set({ formError: undefined });
  const parsed = settingsSchema.safeParse(draft);
  if (!parsed.success) {
    showErrors(fieldErrors(parsed.error));
    return false;
  }
  set({ saving: true, errors: {} });
  const result = await appServices.saveSettings(parsed.data);
  set({ saving: false });
  if (result.ok) {
    set({ draft: result.value });
    return true;
  }
  const fields = result.error.fields ?? {};
  if (Object.keys(fields).length > 0) showErrors(fields);
  if (result.error.code !== 'settings.invalid' || Object.keys(fields).length === 0) set({ formError: result.error });
  return false;
};

export const loadProfiles = async (): Promise<void> => {
  set({ profiles: { state: 'loading' } });
  const result = await appServices.listProfiles();
  set({ profiles: result.ok ? { state: 'done', value: result.value } : { state: 'failed', error: result.error } });
};

/** Endpoints the dialog's credentials and region can see (the model rows are not needed for that). */
export const discoverEndpoints = async (): Promise<void> => {
  const parsed = settingsSchema.safeParse({ ...get().draft, models: [] });
  if (!parsed.success) {
    showErrors(fieldErrors(parsed.error));
    return;
  }
  set({ endpoints: { state: 'loading' } });
  const result = await appServices.discoverEndpoints(parsed.data);
  set({ endpoints: result.ok ? { state: 'done', value: result.value } : { state: 'failed', error: result.error } });
};

/** Try the dialog's unsaved values: credentials, then each model's endpoint. */
export const testConnection = async (): Promise<void> => {
  const parsed = settingsSchema.safeParse(get().draft);
  if (!parsed.success) {
    showErrors(fieldErrors(parsed.error));
    return;
  }
  set({ connection: { state: 'loading' } });
  const result = await appServices.testConnection(parsed.data);
  set({ connection: result.ok ? { state: 'done', value: result.value } : { state: 'failed', error: result.error } });
};

export const hideEndpoints = (): void => set({ endpoints: { state: 'idle' } });

/** Discover's one-click add: the endpoint becomes a model named after it, its format guessed from the name. */
export const addEndpointModel = (endpointName: string): void => {
  const taken = new Set(get().draft.models.map((m) => m.modelId));
  const modelId = uniqueModelId(endpointName, taken);
  const format = guessFormat(endpointName);
  addModel({ modelId, modelName: endpointName, endpointName, format, inputLimit: defaultInputLimitPx });
  set({
    modelsNote: `Added ${endpointName} as ${formatInfo[format].label}; change the format in its row if that is wrong.`,
  });
};

export const togglePaste = (): void =>
  set((state) => ({ paste: state.paste.open ? closedPaste : { ...closedPaste, open: true } }));

export const updatePaste = (partial: Partial<Pick<PasteState, 'text' | 'mode'>>): void =>
  set((state) => {
    const paste: PasteState = { ...state.paste, ...partial };
    delete paste.error;
    return { paste };
  });

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * Reads the pasted list. Invalid input leaves the models untouched and says
 * why; valid rows replace the table or merge into it by model ID.
 */
export const importPastedModels = (): boolean => {
  const { paste, draft, rowKeys } = get();
  const parsed = parseModelList(paste.text);
  if (!parsed.ok) {
    set({ paste: { ...paste, error: parsed.error } });
    return false;
  }
  let models: ModelConfig[];
  let keys: string[];
  let note: string;
  if (paste.mode === 'replace') {
    models = parsed.models;
    keys = models.map(newRowKey);
    note = `Replaced the list with ${plural(models.length, 'model')}.`;
  } else {
    models = [...draft.models];
    keys = [...rowKeys];
    let updated = 0;
    for (const model of parsed.models) {
      const index = models.findIndex((m) => m.modelId === model.modelId);
      if (index >= 0) {
        models[index] = model;
        updated += 1;
      } else {
        models.push(model);
        keys.push(newRowKey());
      }
    }
    const added = parsed.models.length - updated;
    note = `Merged by model ID: ${plural(added, 'model')} added, ${updated} updated.`;
  }
  set((state) => ({
    draft: { ...state.draft, models },
    rowKeys: keys,
    errors: withoutErrors(state.errors, (path) => path === 'models' || path.startsWith('models.')),
    connection: { state: 'idle' },
    paste: closedPaste,
    modelsNote: note,
  }));
  return true;
};

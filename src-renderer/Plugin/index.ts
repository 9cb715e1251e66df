import { useStore } from 'zustand';
import type { Plugin, PluginStore } from '@stability/stablestudio-plugin';
import { PluginError } from '@stability/stablestudio-plugin';
import { getBridge } from '../bridge';
import { createSageMakerPlugin } from '../plugin-sagemaker';
import type { SageMakerSettings } from '../plugin-sagemaker';

type ActivePlugin = Plugin<SageMakerSettings>;

let store: PluginStore<SageMakerSettings> | undefined;

const pluginStore = (): PluginStore<SageMakerSettings> => {
  store ??= createSageMakerPlugin(getBridge());
  return store;
};

/** The active plugin's current functions and fields. */
export const getPlugin = (): ActivePlugin => pluginStore().getState();

/** React to plugin fields (settings, manifest). */
export const usePlugin = <T>(selector: (plugin: ActivePlugin) => T): T => useStore(pluginStore(), selector);

/** A plugin function the UI cannot do without; a missing one is reported like any other failure. */
export const pluginFunction = <K extends keyof ActivePlugin>(name: K): NonNullable<ActivePlugin[K]> => {
  const fn = getPlugin()[name];
  if (fn === undefined || fn === null) {
    throw new PluginError({ code: 'internal', message: `The plugin does not implement ${String(name)}.` });
  }
  return fn;
};

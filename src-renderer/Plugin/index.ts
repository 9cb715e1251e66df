import { useStore } from 'zustand';
import type { Plugin, PluginStore } from '@stability/stablestudio-plugin';
import { PluginError } from '@stability/stablestudio-plugin';
import { createSageMakerPlugin } from '../plugin-sagemaker';

let store: PluginStore | undefined;

const pluginStore = (): PluginStore => {
  store ??= createSageMakerPlugin();
  return store;
};

/** The active plugin's current functions and fields. */
export const getPlugin = (): Plugin => pluginStore().getState();

/** React to plugin fields (the history notice, manifest). */
export const usePlugin = <T>(selector: (plugin: Plugin) => T): T => useStore(pluginStore(), selector);

/** A plugin function the UI cannot do without; a missing one is reported like any other failure. */
export const pluginFunction = <K extends keyof Plugin>(name: K): NonNullable<Plugin[K]> => {
  const fn = getPlugin()[name];
  if (fn === undefined || fn === null) {
    throw new PluginError({ code: 'internal', message: `The plugin does not implement ${String(name)}.` });
  }
  return fn;
};

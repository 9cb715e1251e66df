import { createStore } from 'zustand/vanilla';
import type { StoreApi } from 'zustand/vanilla';
import type { Plugin, PluginSettings } from './types';

export interface PluginContext<S extends PluginSettings> {
  set: (partial: Partial<Plugin<S>> | ((state: Plugin<S>) => Partial<Plugin<S>>)) => void;
  get: () => Plugin<S>;
}

export type PluginFactory<S extends PluginSettings> = (context: PluginContext<S>) => Plugin<S>;
export type PluginStore<S extends PluginSettings = PluginSettings> = StoreApi<Plugin<S>>;

/**
 * Wraps a plugin factory in a zustand store: the plugin can update its own
 * fields (settings, manifest…) with `set`, and the UI re-renders.
 */
export const createPlugin = <S extends PluginSettings>(factory: PluginFactory<S>): PluginStore<S> =>
  createStore<Plugin<S>>()((set, get) => factory({ set: (partial) => set(partial), get }));

import { create } from 'zustand';

interface PaletteState {
  open: boolean;
  /** Open requests so far (see useModal). */
  openings: number;
}

export const usePaletteStore = create<PaletteState>()(() => ({ open: false, openings: 0 }));

export const showPalette = (): void => usePaletteStore.setState((s) => ({ open: true, openings: s.openings + 1 }));
export const closePalette = (): void => usePaletteStore.setState({ open: false });
export const isPaletteOpen = (): boolean => usePaletteStore.getState().open;

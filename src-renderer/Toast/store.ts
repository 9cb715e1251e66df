import { create } from 'zustand';

export interface Toast {
  id: number;
  title: string;
  message: string;
  hint?: string;
  /** 'info' for news that is not a failure (default 'error'). */
  tone?: 'error' | 'info';
}

interface ToastState {
  toasts: Toast[];
  push: (toast: Omit<Toast, 'id'>) => number;
  dismiss: (id: number) => void;
}

let nextId = 1;

export const useToastStore = create<ToastState>()((set) => ({
  toasts: [],
  push: (toast) => {
    const id = nextId++;
    // Keep the newest few; an error storm must not bury the UI.
    set((state) => ({ toasts: [...state.toasts.slice(-3), { ...toast, id }] }));
    return id;
  },
  dismiss: (id) => set((state) => ({ toasts: state.toasts.filter((t) => t.id !== id) })),
}));

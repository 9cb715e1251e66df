import { describeError } from '@stability/stablestudio-plugin';
import './toast.css';
import { useToastStore } from './store';

export { Toasts } from './Toasts';

/** Say that something worked (or what happened instead), briefly. */
export const showInfo = (title: string, message = ''): void => {
  useToastStore.getState().push({ title, message, tone: 'info' });
};

/** Show a failure that has no better place on screen. */
export const showError = (title: string, error: unknown): void => {
  const { message, hint } = describeError(error);
  useToastStore.getState().push(hint ? { title, message, hint } : { title, message });
};

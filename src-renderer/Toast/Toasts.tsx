import { useEffect } from 'react';
import type { ReactElement } from 'react';
import { AlertIcon, CheckIcon, CloseIcon } from '../Icon';
import { useToastStore } from './store';
import type { Toast } from './store';

const lifetimeMs = 12_000;

const ToastItem = ({ toast }: { toast: Toast }): ReactElement => {
  const dismiss = useToastStore((state) => state.dismiss);
  useEffect(() => {
    const timer = window.setTimeout(() => dismiss(toast.id), lifetimeMs);
    return () => window.clearTimeout(timer);
  }, [dismiss, toast.id]);
  return (
    <div
      className={`ss-toast${toast.tone === 'info' ? ' ss-toast--info' : ''}`}
      role={toast.tone === 'info' ? 'status' : 'alert'}
      data-testid="toast"
    >
      {toast.tone === 'info' ? (
        <CheckIcon size={16} className="ss-toast__icon" />
      ) : (
        <AlertIcon size={16} className="ss-toast__icon" />
      )}
      <div className="ss-toast__body">
        <div className="ss-toast__title">{toast.title}</div>
        {toast.message ? <div className="ss-toast__message">{toast.message}</div> : null}
        {toast.hint ? <div className="ss-toast__hint">{toast.hint}</div> : null}
      </div>
      <button type="button" className="ss-icon-button" aria-label="Dismiss" onClick={() => dismiss(toast.id)}>
        <CloseIcon size={14} />
      </button>
    </div>
  );
};

export const Toasts = (): ReactElement => {
  const toasts = useToastStore((state) => state.toasts);
  return (
    <div className="ss-toasts">
      {toasts.map((toast) => (
        <ToastItem key={toast.id} toast={toast} />
      ))}
    </div>
  );
};

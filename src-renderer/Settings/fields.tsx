import { useId } from 'react';
import type { ReactElement, ReactNode } from 'react';
import { useSettingsStore } from './store';

export interface FieldControlProps {
  id: string;
  'aria-invalid'?: true;
  'aria-describedby'?: string;
}

/** Wires a control to its error message (aria-invalid + aria-describedby) by dotted path. */
export const useFieldError = (path: string): { message?: string; errorId: string; control: FieldControlProps } => {
  const message = useSettingsStore((state) => state.errors[path]);
  const id = useId();
  const errorId = `${id}-error`;
  return {
    ...(message ? { message } : {}),
    errorId,
    control: message ? { id, 'aria-invalid': true, 'aria-describedby': errorId } : { id },
  };
};

export const FieldError = ({ id, message }: { id: string; message?: string }): ReactElement | null =>
  message ? (
    <p id={id} className="ss-field-error" role="alert">
      {message}
    </p>
  ) : null;

/** A labelled control with its help text and error message. */
export const Field = ({
  label,
  path,
  help,
  children,
}: {
  label: string;
  path: string;
  help?: ReactNode;
  children: (control: FieldControlProps) => ReactNode;
}): ReactElement => {
  const { message, errorId, control } = useFieldError(path);
  return (
    <div className="ss-setting">
      <label htmlFor={control.id} className="ss-setting__label">
        {label}
      </label>
      {children(control)}
      {help ? <p className="ss-setting__help">{help}</p> : null}
      <FieldError id={errorId} {...(message ? { message } : {})} />
    </div>
  );
};

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

/** A one-line text setting: label, input bound to the draft by the caller, error and help. */
export const TextSetting = ({
  label,
  path,
  value,
  onChange,
  help,
  ariaLabel = label,
  placeholder,
  mono = false,
  type = 'text',
}: {
  label: string;
  path: string;
  value: string;
  onChange: (value: string) => void;
  help?: ReactNode;
  ariaLabel?: string;
  placeholder?: string;
  mono?: boolean;
  type?: 'text' | 'url';
}): ReactElement => (
  <Field label={label} path={path} {...(help ? { help } : {})}>
    {(control) => (
      <input
        {...control}
        className={mono ? 'ss-input ss-input--mono' : 'ss-input'}
        type={type}
        aria-label={ariaLabel}
        {...(placeholder ? { placeholder } : {})}
        autoComplete="off"
        spellCheck={false}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    )}
  </Field>
);

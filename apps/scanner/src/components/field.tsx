import type { ComponentProps } from 'react';

interface FieldProps extends Omit<ComponentProps<'input'>, 'id' | 'name'> {
  name: string;
  label: string;
  /** Messages from the server for this field. */
  errors?: string[];
}

/** A labelled input with the server's messages for it underneath. */
export function Field({ name, label, errors = [], ...input }: FieldProps) {
  const id = `field-${name}`;
  const errorId = `${id}-error`;
  const invalid = errors.length > 0;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        name={name}
        aria-invalid={invalid || undefined}
        aria-describedby={invalid ? errorId : undefined}
        {...input}
      />
      {invalid && (
        <p id={errorId} className="field-error">
          {errors.join(' ')}
        </p>
      )}
    </div>
  );
}

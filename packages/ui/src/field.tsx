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

interface ControlProps {
  name: string;
  label: string;
  /** Messages from the server for this field. */
  errors?: string[];
}

/** The ids and ARIA attributes shared by every labelled control. */
function controlIds(name: string, errors: string[] = []) {
  const id = `field-${name}`;
  const errorId = `${id}-error`;
  const invalid = errors.length > 0;
  return {
    id,
    errorId,
    invalid,
    aria: {
      'aria-invalid': invalid || undefined,
      'aria-describedby': invalid ? errorId : undefined,
    },
  };
}

function FieldErrors({ id, errors = [] }: { id: string; errors?: string[] }) {
  if (errors.length === 0) return null;
  return (
    <p id={id} className="field-error">
      {errors.join(' ')}
    </p>
  );
}

/** A labelled textarea with the server's messages for it underneath. */
export function TextAreaField({
  name,
  label,
  errors,
  ...textarea
}: ControlProps & Omit<ComponentProps<'textarea'>, 'id' | 'name'>) {
  const { id, errorId, aria } = controlIds(name, errors);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea id={id} name={name} {...aria} {...textarea} />
      <FieldErrors id={errorId} errors={errors} />
    </div>
  );
}

/** A labelled select with the server's messages for it underneath. */
export function SelectField({
  name,
  label,
  errors,
  children,
  ...select
}: ControlProps & Omit<ComponentProps<'select'>, 'id' | 'name'>) {
  const { id, errorId, aria } = controlIds(name, errors);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} name={name} {...aria} {...select}>
        {children}
      </select>
      <FieldErrors id={errorId} errors={errors} />
    </div>
  );
}

// A labelled input with the API's typed error for it shown under it (and announced), as every form of the console.
import type { InputHTMLAttributes } from "react";

export function Field({ label, error, ...input }: { label: string; error?: string } & InputHTMLAttributes<HTMLInputElement>) {
  const id = `f-${label.toLowerCase().replace(/\W+/g, "-")}`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : undefined} {...input} />
      {error && <span id={`${id}-error`} className="error" role="alert">{error}</span>}
    </div>
  );
}

"use client";

/**
 * A credential shown once, right after it was made (an API key, an event endpoint's signing
 * secret): it is not stored in a form that can be shown again, so the panel says so and selects
 * the value on focus for copying.
 */
export function ShownOnce({
  title,
  label,
  value,
  inputId,
  testIds,
  children,
}: {
  /** What was made, and that it is shown only now. */
  title: string;
  label: string;
  value: string;
  inputId: string;
  testIds: { panel: string; value: string };
  /** How to use it. */
  children?: React.ReactNode;
}) {
  return (
    <div role="status" className="rounded-lg border border-emerald-300 bg-emerald-50 p-4" data-testid={testIds.panel}>
      <p className="font-semibold break-words text-emerald-900">{title}</p>
      <label htmlFor={inputId} className="mt-2 block text-sm text-emerald-900">
        {label}
      </label>
      <input
        id={inputId}
        data-testid={testIds.value}
        readOnly
        value={value}
        onFocus={(event) => event.currentTarget.select()}
        className="mt-1 block w-full rounded-md border border-emerald-300 bg-white px-3 py-2 font-mono text-sm"
      />
      {children}
    </div>
  );
}

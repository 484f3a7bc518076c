/** A signing secret, shown once: copy it now, it cannot be shown again. */
export function SecretPanel({
  title,
  secret,
  children,
}: {
  title: string;
  secret: string;
  children?: React.ReactNode;
}) {
  return (
    <div
      role="status"
      className="rounded-lg border border-emerald-300 bg-emerald-50 p-4"
      data-testid="new-secret-panel"
    >
      <p className="font-semibold text-emerald-900">{title} Copy the secret now: it will not be shown again.</p>
      <label htmlFor="new-endpoint-secret" className="mt-2 block text-sm text-emerald-900">
        Signing secret
      </label>
      <input
        id="new-endpoint-secret"
        data-testid="new-endpoint-secret"
        readOnly
        value={secret}
        onFocus={(event) => event.currentTarget.select()}
        className="mt-1 block w-full rounded-md border border-emerald-300 bg-white px-3 py-2 font-mono text-sm"
      />
      <p className="mt-2 text-sm text-emerald-900">
        Your product verifies each delivery with it: <code>new Webhook(secret).verify(body, headers)</code> (the{" "}
        <code>standardwebhooks</code> library).
      </p>
      {children}
    </div>
  );
}

/**
 * Child-process script: acquires a marketplace API token from the sandbox with
 * @azure/msal-node exactly as the portal does, and prints the result as JSON on stdout.
 * MSAL uses Node's own https stack, so the parent runs this with NODE_EXTRA_CA_CERTS set to the
 * sandbox CA (the only way to make Node trust it; it is read at process start).
 *
 * Env: AUTHORITY (https://localhost:8443/{tenant}), KNOWN_AUTHORITY (localhost:8443),
 *      CLIENT_ID, CLIENT_SECRET, SCOPE.
 */
import { ConfidentialClientApplication } from "@azure/msal-node";

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

const app = new ConfidentialClientApplication({
  auth: {
    clientId: env("CLIENT_ID"),
    clientSecret: env("CLIENT_SECRET"),
    authority: env("AUTHORITY"),
    // Without this MSAL asks Microsoft's instance discovery about the host and fails offline.
    knownAuthorities: [env("KNOWN_AUTHORITY")],
  },
});

try {
  const result = await app.acquireTokenByClientCredential({ scopes: [env("SCOPE")] });
  process.stdout.write(
    JSON.stringify({
      ok: true,
      accessToken: result?.accessToken,
      tokenType: result?.tokenType,
      expiresOn: result?.expiresOn?.toISOString(),
      tenantId: result?.tenantId,
    }),
  );
} catch (error) {
  const e = error as { errorCode?: string; errorMessage?: string; message?: string };
  process.stdout.write(JSON.stringify({ ok: false, errorCode: e.errorCode, message: e.errorMessage ?? e.message }));
}

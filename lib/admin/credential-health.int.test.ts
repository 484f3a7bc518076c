/**
 * The health answer about the fulfillment app's credential, against the sandbox: its type and
 * expiry in `GET /api/health` (and so on the admin page), a warning 30 days ahead, and a failing
 * probe with the reason once the secret or certificate has expired.
 */
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { makeCertificate } from "@/tests/support/certificates";
import { sandboxControl } from "@/tests/support/sandbox-control";

const clientId = "f0f00000-0000-4000-8000-00000000f001";
const DAY = 86_400_000;

/** The probe route as the portal serves it with these variables (fresh configuration, no cached checks). */
async function probe(env: Record<string, string>) {
  vi.resetModules();
  vi.unstubAllEnvs();
  for (const [key, value] of Object.entries(env)) vi.stubEnv(key, value);
  (globalThis as { __healthCache?: unknown; __healthTokens?: unknown }).__healthCache = undefined;
  (globalThis as { __healthTokens?: unknown }).__healthTokens = undefined;
  const { GET } = await import("@/app/api/health/route");
  const response = await GET(new Request("http://localhost/api/health"));
  const body = (await response.json()) as {
    status: string;
    checks: Record<string, { status: string; message: string; [detail: string]: unknown }>;
  };
  return { status: response.status, body };
}

afterEach(() => vi.unstubAllEnvs());
afterAll(() => vi.resetModules());

describe("the credential in the health check", () => {
  it("shows the secret's type and, once configured, its expiry date", async () => {
    const plain = await probe({});
    expect(plain.status).toBe(200);
    expect(plain.body.checks.credential).toMatchObject({ status: "ok", type: "secret" });
    const dated = await probe({ MARKETPLACE_CLIENT_SECRET_EXPIRES_AT: "2099-12-31" });
    expect(dated.body.checks.credential).toMatchObject({
      status: "ok",
      type: "secret",
      expiresAt: "2099-12-31T00:00:00.000Z",
      message: "The client secret is valid until 31 December 2099.",
    });
    expect(JSON.stringify(dated.body)).not.toContain(process.env.MARKETPLACE_CLIENT_SECRET!);
  });

  it("fails (503) with the reason once the secret has expired, and degrades (200) 30 days ahead", async () => {
    const expired = await probe({ MARKETPLACE_CLIENT_SECRET_EXPIRES_AT: "2026-01-15" });
    expect(expired.status).toBe(503);
    expect(expired.body.status).toBe("error");
    expect(expired.body.checks.credential).toMatchObject({
      status: "error",
      message: expect.stringMatching(
        /^The client secret expired on 15 January 2026 \(\d+ days ago\): Entra ID refuses it, so the portal cannot call Microsoft\. Create a new secret under App registrations/,
      ),
    });
    const soon = new Date(Date.now() + 12 * DAY + 3_600_000).toISOString();
    const warned = await probe({ MARKETPLACE_CLIENT_SECRET_EXPIRES_AT: soon });
    expect(warned.status).toBe(200);
    expect(warned.body.status).toBe("degraded");
    // Calendar days: 12, or 13 when the extra hour crosses midnight (UTC).
    expect(warned.body.checks.credential).toMatchObject({ status: "warn", daysLeft: expect.toBeOneOf([12, 13]) });
  });

  it("reads a certificate's expiry from the certificate: a warning within 30 days, a failure with Entra's refusal after", async () => {
    const sandbox = sandboxControl();
    const soon = makeCertificate({ notAfter: new Date(Date.now() + 10 * DAY) });
    await sandbox.registerCertificate(clientId, soon.certificate);
    const certificate = (files: { certificatePath: string; privateKeyPath: string }) => ({
      MARKETPLACE_CLIENT_SECRET: "",
      MARKETPLACE_CLIENT_CERTIFICATE_PATH: files.certificatePath,
      MARKETPLACE_CLIENT_PRIVATE_KEY_PATH: files.privateKeyPath,
    });
    const warned = await probe(certificate(soon));
    expect(warned.status).toBe(200);
    expect(warned.body.status).toBe("degraded");
    expect(warned.body.checks.token).toMatchObject({ status: "ok" });
    expect(warned.body.checks.credential).toMatchObject({
      status: "warn",
      type: "certificate",
      thumbprint: expect.stringMatching(/^[0-9A-F]{64}$/),
      message: expect.stringMatching(/^The certificate expires on .*, in 10 days\. Upload a new certificate/),
    });

    const expired = makeCertificate({ notBefore: new Date("2024-01-01"), notAfter: new Date("2025-02-01") });
    await sandbox.registerCertificate(clientId, expired.certificate);
    const failed = await probe(certificate(expired));
    expect(failed.status).toBe(503);
    expect(failed.body.checks.credential).toMatchObject({
      status: "error",
      expiresAt: "2025-02-01T00:00:00.000Z",
      message: expect.stringContaining("expired on 1 February 2025"),
    });
    expect(failed.body.checks.token).toMatchObject({
      status: "error",
      message: expect.stringContaining("AADSTS700027"),
    });
    expect(JSON.stringify(failed.body)).not.toMatch(/PRIVATE KEY|eyJ[A-Za-z0-9_-]{10,}/);
  });
});

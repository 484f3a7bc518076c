/** The health report against the running sandbox, and against a sandbox that is not there (a closed port). */
import { cpSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { disconnectDatabase } from "@/lib/db";
import { startTestIdp } from "@/sandbox/idp/testing/start-test-idp";
import { makeTempDir } from "@/tests/support/temp-dirs";
import { checkHealth } from "./check-health";

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port; // nothing listens here any more
}

afterAll(() => disconnectDatabase());

describe("health", () => {
  it("reports ok when the database, Entra and the marketplace answer", async () => {
    const report = await checkHealth({ fresh: true });
    expect(report.checks.database.status).toBe("ok");
    expect(report.checks.token.status).toBe("ok");
    expect(report.checks.marketplace.status).toBe("ok");
    expect(["ok", "degraded"]).toContain(report.status);
  });

  it("reports error (503 for probes) with a stopped sandbox, and no secret in the report", async () => {
    const stopped = `https://127.0.0.1:${await closedPort()}`;
    const report = await checkHealth({
      apiBase: `${stopped}/api`,
      authorityHost: stopped,
      timeoutMs: 3000,
      fresh: true,
    });
    expect(report.status).toBe("error");
    expect(report.checks.database.status).toBe("ok");
    expect(report.checks.token).toMatchObject({
      status: "error",
      message: expect.stringMatching(/could not get a token|did not answer/),
    });
    expect(report.checks.marketplace).toMatchObject({
      status: "error",
      message: expect.stringMatching(/cannot be reached|did not answer/),
    });
    const text = JSON.stringify(report);
    expect(text).not.toContain(process.env.MARKETPLACE_CLIENT_SECRET!);
    expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/); // no token
  });

  it("notices Entra going away even after a token was issued (MSAL's cached token does not count)", async () => {
    // A second Entra stand-in of our own (same CA as the sandbox), which the test can stop.
    const dataDir = makeTempDir("health-idp-");
    cpSync(path.join(path.dirname(process.env.NODE_EXTRA_CA_CERTS!), "."), path.join(dataDir, "tls"), {
      recursive: true,
    });
    const idp = await startTestIdp({ dataDir });
    const target = { authorityHost: idp.baseUrl, timeoutMs: 3000, fresh: true };
    expect((await checkHealth(target)).checks.token.status).toBe("ok");
    await idp.close();
    const down = await checkHealth(target);
    expect(down.checks.token.status).toBe("error");
    expect(down.status).toBe("error");
  });

  it("the probe route answers 200 with the JSON report, and a database-only scope for liveness", async () => {
    const { GET } = await import("@/app/api/health/route");
    const ok = await GET(new Request("http://localhost/api/health"));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ checks: { database: { status: "ok" }, jobs: expect.any(Object) } });
    const liveness = await GET(new Request("http://localhost/api/health?scope=database"));
    expect(liveness.status).toBe(200);
  });
});

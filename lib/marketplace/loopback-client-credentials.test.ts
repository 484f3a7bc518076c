import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loopbackClientCredentials } from "./loopback-client-credentials";

let server: Server;
let authorityHost: string;
let issued = 0;
let expiresIn = 3599;

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      issued += 1;
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ token_type: "Bearer", expires_in: expiresIn, access_token: `token-${issued}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  authorityHost = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(
  () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
);
beforeEach(() => {
  issued = 0;
  expiresIn = 3599;
});

const provider = () =>
  loopbackClientCredentials({
    authorityHost,
    tenantId: "t",
    clientId: "c",
    authentication: { secret: "s" },
    scope: "api/.default",
  });

describe("loopbackClientCredentials", () => {
  it("keeps the token until shortly before it expires; skipCache asks again", async () => {
    const acquire = provider();
    expect(await acquire(false)).toBe("token-1");
    expect(await acquire(false)).toBe("token-1");
    expect(await acquire(true)).toBe("token-2");
    expect(await acquire(false)).toBe("token-2");
  });

  it("renews a token that expires within five minutes on every call", async () => {
    expiresIn = 120;
    const acquire = provider();
    expect(await acquire(false)).toBe("token-1");
    expect(await acquire(false)).toBe("token-2");
  });

  it("shares one request among callers arriving together", async () => {
    const acquire = provider();
    expect(await Promise.all([acquire(false), acquire(false), acquire(false)])).toEqual([
      "token-1",
      "token-1",
      "token-1",
    ]);
    expect(issued).toBe(1);
  });

  it("refuses an http authority that is not on loopback", () => {
    expect(() =>
      loopbackClientCredentials({
        authorityHost: "http://login.example",
        tenantId: "t",
        clientId: "c",
        authentication: { secret: "s" },
        scope: "x",
      }),
    ).toThrow(/only to a loopback authority/);
  });
});

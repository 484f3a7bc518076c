import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { decodeJwt, decodeProtectedHeader } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTempDir } from "../../tests/support/temp-dirs";
import type { Directory, Tenant } from "../types";
import { createAccessTokenSigner, servicePrincipalObjectId } from "./access-tokens";
import { AppCertificates } from "./app-certificates";
import { AssertionReplayCache, JWT_BEARER_ASSERTION } from "./client-assertions";
import {
  issueClientCredentialsToken,
  type ClientCredentialsDeps,
  type V1TokenResponse,
  type V2TokenResponse,
} from "./client-credentials";
import { createDirectoryLookup } from "./directory-lookup";
import { entraErrors } from "./entra-errors";
import { entraUrls } from "./entra-urls";
import { loadOrCreateSigningKey } from "./signing-key";
import { createWorkloadIdentityIssuer, type WorkloadIdentityIssuer } from "./workload-identity";

const BASE = "https://localhost:8443";
const MARKETPLACE = "20e940b3-4c77-4b0b-9a53-9e16a1b010a7";
const FULFILLMENT = { id: "f0f00000-0000-4000-8000-00000000f001", secret: "sandbox-fulfillment-secret" };
const directory = JSON.parse(
  readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../config/directory.json"), "utf8"),
) as Directory;
const lookup = createDirectoryLookup(directory, "http://localhost:3000");
const publisher = lookup.tenant(directory.publisherTenantId) as Tenant;
const customer = lookup.tenant("22222222-2222-4222-8222-222222222222") as Tenant;

let deps: ClientCredentialsDeps;
let workload: WorkloadIdentityIssuer;
beforeAll(async () => {
  const dataDir = makeTempDir("idp-cc-");
  const key = await loadOrCreateSigningKey(dataDir);
  workload = await createWorkloadIdentityIssuer(BASE, dataDir);
  const errors = entraErrors(BASE);
  deps = {
    directory: lookup,
    errors,
    signer: createAccessTokenSigner(key, entraUrls(BASE)),
    assertions: {
      urls: entraUrls(BASE),
      errors,
      certificates: new AppCertificates(),
      federatedCredentials: (app) =>
        (app.federatedCredentials ?? []).map((credential) => ({
          ...credential,
          issuer: credential.issuer.replaceAll("{sandbox}", BASE),
        })),
      issuerKeys: (issuer) => (issuer === workload.issuer ? workload.jwks() : undefined),
      replays: new AssertionReplayCache(),
    },
  };
});
afterAll(() => workload.close());

const v2Form = (overrides: Record<string, string> = {}) => ({
  grant_type: "client_credentials",
  client_id: FULFILLMENT.id,
  client_secret: FULFILLMENT.secret,
  scope: `${MARKETPLACE}/.default`,
  ...overrides,
});

async function errorCode(
  form: Record<string, string>,
  tenant: Tenant = publisher,
  endpointVersion: 1 | 2 = 2,
  authorization?: string,
) {
  const result = await issueClientCredentialsToken(deps, { tenant, endpointVersion, form, authorization });
  if (result.ok) throw new Error("expected an error");
  return { status: result.error.status, error: result.error.body.error, code: result.error.body.error_codes[0] };
}

describe("client credentials", () => {
  it("answers the v2 endpoint with numeric lifetimes and a v1-format token for the marketplace resource", async () => {
    const result = await issueClientCredentialsToken(deps, { tenant: publisher, endpointVersion: 2, form: v2Form() });
    expect(result.ok).toBe(true);
    const body = (result as { body: V2TokenResponse }).body;
    expect(body).toMatchObject({ token_type: "Bearer", expires_in: 3599, ext_expires_in: 3599 });
    expect(Object.keys(body).sort()).toEqual(["access_token", "expires_in", "ext_expires_in", "token_type"]);
    const claims = decodeJwt(body.access_token);
    expect(claims).toMatchObject({
      aud: MARKETPLACE,
      iss: `${BASE}/${publisher.id}/`,
      appid: FULFILLMENT.id,
      appidacr: "1",
      tid: publisher.id,
      idtyp: "app",
      ver: "1.0",
      oid: servicePrincipalObjectId(publisher.id, FULFILLMENT.id),
      sub: servicePrincipalObjectId(publisher.id, FULFILLMENT.id),
    });
    expect(claims.azp).toBeUndefined();
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(3600);
    expect(decodeProtectedHeader(body.access_token)).toMatchObject({ alg: "RS256", typ: "JWT" });
  });

  it("answers the v1 endpoint with string lifetimes, expires_on, not_before and resource", async () => {
    const result = await issueClientCredentialsToken(deps, {
      tenant: publisher,
      endpointVersion: 1,
      form: {
        grant_type: "client_credentials",
        client_id: FULFILLMENT.id,
        client_secret: FULFILLMENT.secret,
        resource: MARKETPLACE,
      },
    });
    const body = (result as { body: V1TokenResponse }).body;
    expect(body).toMatchObject({ token_type: "Bearer", expires_in: "3599", resource: MARKETPLACE });
    expect(Number(body.expires_on) - Number(body.not_before)).toBe(3600);
    expect(decodeJwt(body.access_token)).toMatchObject({ ver: "1.0", appid: FULFILLMENT.id });
  });

  it("accepts HTTP Basic client authentication", async () => {
    const basic = `Basic ${Buffer.from(`${FULFILLMENT.id}:${FULFILLMENT.secret}`).toString("base64")}`;
    const result = await issueClientCredentialsToken(deps, {
      tenant: publisher,
      endpointVersion: 2,
      form: { grant_type: "client_credentials", scope: `${MARKETPLACE}/.default` },
      authorization: basic,
    });
    expect(result.ok).toBe(true);
  });

  it("issues v2-format tokens when asked to", async () => {
    const token = await deps.signer.sign({
      tid: publisher.id,
      clientId: MARKETPLACE,
      audience: FULFILLMENT.id,
      version: 2,
    });
    expect(decodeJwt(token.accessToken)).toMatchObject({
      iss: `${BASE}/${publisher.id}/v2.0`,
      azp: MARKETPLACE,
      azpacr: "1",
      aud: FULFILLMENT.id,
      ver: "2.0",
    });
  });

  it("refuses with Entra's error codes", async () => {
    expect(await errorCode(v2Form({ client_secret: "wrong" }))).toEqual({
      status: 401,
      error: "invalid_client",
      code: 7000215,
    });
    expect(await errorCode(v2Form({ client_secret: "" }))).toEqual({
      status: 401,
      error: "invalid_client",
      code: 7000218,
    });
    expect(await errorCode(v2Form({ client_id: "99999999-0000-4000-8000-000000000000" }))).toEqual({
      status: 400,
      error: "unauthorized_client",
      code: 700016,
    });
    // The fulfillment app is single-tenant: it does not exist in a customer's tenant.
    expect(await errorCode(v2Form(), customer)).toEqual({ status: 400, error: "unauthorized_client", code: 700016 });
    expect(await errorCode(v2Form({ scope: "99999999-0000-4000-8000-000000000000/.default" }))).toEqual({
      status: 400,
      error: "invalid_resource",
      code: 500011,
    });
    expect(await errorCode(v2Form({ scope: MARKETPLACE }))).toEqual({
      status: 400,
      error: "invalid_scope",
      code: 1002012,
    });
    expect(await errorCode(v2Form({ grant_type: "password" }))).toEqual({
      status: 400,
      error: "unsupported_grant_type",
      code: 70003,
    });
    expect(await errorCode(v2Form({ scope: "" }))).toEqual({ status: 400, error: "invalid_request", code: 900144 });
    expect(
      await errorCode(
        { grant_type: "client_credentials", client_id: FULFILLMENT.id, client_secret: FULFILLMENT.secret },
        publisher,
        1,
      ),
    ).toEqual({ status: 400, error: "invalid_request", code: 900144 });
  });

  it("authenticates with a client assertion instead of a secret, and says so in the token (appidacr 2)", async () => {
    const { token } = await workload.mint();
    const assertionForm = v2Form({
      client_secret: "",
      client_assertion_type: JWT_BEARER_ASSERTION,
      client_assertion: token,
    });
    delete (assertionForm as Record<string, string>).client_secret;
    const result = await issueClientCredentialsToken(deps, {
      tenant: publisher,
      endpointVersion: 2,
      form: assertionForm,
    });
    if (!result.ok) throw new Error(result.error.body.error_description);
    expect(decodeJwt(result.body.access_token)).toMatchObject({ appid: FULFILLMENT.id, appidacr: "2" });
    // A secret and an assertion together, and an assertion of an unknown type, are refused.
    expect(await errorCode({ ...assertionForm, client_secret: FULFILLMENT.secret })).toEqual({
      status: 400,
      error: "invalid_request",
      code: 900144,
    });
    expect(await errorCode({ ...assertionForm, client_assertion_type: "urn:example:saml" })).toEqual({
      status: 401,
      error: "invalid_client",
      code: 7000218,
    });
  });

  it("formats error descriptions as Entra does", async () => {
    const result = await issueClientCredentialsToken(deps, {
      tenant: publisher,
      endpointVersion: 2,
      form: v2Form({ client_secret: "x" }),
    });
    if (result.ok) throw new Error("expected an error");
    expect(result.error.body.error_description).toMatch(
      /^AADSTS7000215: Invalid client secret provided\. .* Trace ID: [0-9a-f-]{36} Correlation ID: [0-9a-f-]{36} Timestamp: \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/,
    );
    expect(result.error.body).toHaveProperty("trace_id");
    expect(result.error.body).toHaveProperty("correlation_id");
    expect(result.error.body).toHaveProperty("timestamp");
  });
});

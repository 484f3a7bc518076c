/**
 * A locally generated certificate authority and a server certificate for the sandbox.
 * MSAL refuses http authorities and next-auth re-runs discovery over https only, so the
 * stand-in for Entra ID must speak TLS. Processes that talk to the sandbox trust the CA
 * through NODE_EXTRA_CA_CERTS (see scripts/dev.ts and playwright.config.ts).
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export interface SandboxTls {
  caPath: string;
  key: string;
  cert: string;
}

function openssl(args: string[], cwd: string) {
  execFileSync("openssl", args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
}

/** Creates (once) and returns the CA and server certificate kept in `<dataDir>/tls`. */
export function ensureSandboxTls(dataDir: string): SandboxTls {
  const dir = path.join(dataDir, "tls");
  const caPath = path.join(dir, "ca.pem");
  const keyPath = path.join(dir, "server-key.pem");
  const certPath = path.join(dir, "server.pem");
  if (!existsSync(caPath) || !existsSync(keyPath) || !existsSync(certPath)) {
    mkdirSync(dir, { recursive: true });
    openssl(
      [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca-key.pem",
        "-out",
        "ca.pem",
        "-days",
        "3650",
        "-subj",
        "/CN=SaaS portal sandbox local CA",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
      ],
      dir,
    );
    writeFileSync(
      path.join(dir, "server.ext"),
      "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n",
    );
    openssl(
      [
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "server-key.pem",
        "-out",
        "server.csr",
        "-subj",
        "/CN=localhost",
      ],
      dir,
    );
    openssl(
      [
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca-key.pem",
        "-CAcreateserial",
        "-out",
        "server.pem",
        "-days",
        "825",
        "-extfile",
        "server.ext",
      ],
      dir,
    );
  }
  return { caPath, key: readFileSync(keyPath, "utf8"), cert: readFileSync(certPath, "utf8") };
}

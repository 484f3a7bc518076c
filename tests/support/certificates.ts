/**
 * Self-signed RSA certificates with chosen validity dates, for tests of certificate credentials
 * (an expired one, one expiring soon). `openssl req -x509` only counts days from now, so this
 * signs with `openssl ca -selfsign`, which takes explicit start and end dates.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { makeTempDir } from "./temp-dirs";

export interface TestCertificate {
  dir: string;
  certificatePath: string;
  privateKeyPath: string;
  certificate: string;
  privateKey: string;
}

const opensslDate = (date: Date) => `${date.toISOString().replace(/[-:T]/g, "").slice(0, 14)}Z`;

export function makeCertificate(
  options: { notBefore?: Date; notAfter?: Date; commonName?: string } = {},
): TestCertificate {
  const dir = makeTempDir("test-certificate-");
  const notBefore = options.notBefore ?? new Date(Date.now() - 60_000);
  const notAfter = options.notAfter ?? new Date(Date.now() + 365 * 86_400_000);
  const run = (args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
  writeFileSync(path.join(dir, "index.txt"), "");
  writeFileSync(path.join(dir, "serial"), "01\n");
  writeFileSync(
    path.join(dir, "ca.cnf"),
    [
      "[ca]",
      "default_ca = test",
      "[test]",
      "dir = .",
      "database = index.txt",
      "new_certs_dir = .",
      "serial = serial",
      "default_md = sha256",
      "policy = any",
      "unique_subject = no",
      "[any]",
      "commonName = supplied",
      "",
    ].join("\n"),
  );
  run([
    "req",
    "-new",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-keyout",
    "private-key.pem",
    "-out",
    "request.csr",
    "-subj",
    `/CN=${options.commonName ?? "test certificate"}`,
  ]);
  run([
    "ca",
    "-batch",
    "-selfsign",
    "-notext",
    "-config",
    "ca.cnf",
    "-keyfile",
    "private-key.pem",
    "-in",
    "request.csr",
    "-out",
    "certificate.pem",
    "-startdate",
    opensslDate(notBefore),
    "-enddate",
    opensslDate(notAfter),
  ]);
  const certificatePath = path.join(dir, "certificate.pem");
  const privateKeyPath = path.join(dir, "private-key.pem");
  return {
    dir,
    certificatePath,
    privateKeyPath,
    certificate: readFileSync(certificatePath, "utf8"),
    privateKey: readFileSync(privateKeyPath, "utf8"),
  };
}

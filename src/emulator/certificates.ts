/**
 * TLS for the emulator: a certificate authority generated at start and a server certificate it signs for
 * localhost and 127.0.0.1 (the `selfsigned` library, on Node's WebCrypto). Clients trust the CA with
 * `tlsOptions: { ca }` or `NODE_EXTRA_CA_CERTS` (Node.js tls and CLI documentation); the SDKs refuse plain HTTP.
 */
import { generate } from "selfsigned";

export interface EmulatorCertificates {
  /** The CA certificate (PEM) to trust. */
  ca: string;
  cert: string;
  key: string;
}

export async function createCertificates(validDays = 30): Promise<EmulatorCertificates> {
  const notAfterDate = new Date(Date.now() + validDays * 86_400_000);
  const ca = await generate([{ name: "commonName", value: "azure-vm-backup emulator CA" }], {
    keyType: "ec",
    curve: "P-256",
    algorithm: "sha256",
    notAfterDate,
    extensions: [
      { name: "basicConstraints", cA: true, critical: true },
      { name: "keyUsage", keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  const server = await generate([{ name: "commonName", value: "localhost" }], {
    keyType: "ec",
    curve: "P-256",
    algorithm: "sha256",
    notAfterDate,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: "basicConstraints", cA: false },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true },
      { name: "extKeyUsage", serverAuth: true },
      {
        name: "subjectAltName",
        altNames: [
          { type: 2, value: "localhost" },
          { type: 7, ip: "127.0.0.1" },
        ],
      },
    ],
  });
  // PEM files end with a newline (RFC 7468 §2 text ends lines with eol); some tools refuse one without.
  const pem = (text: string) => (text.endsWith("\n") ? text : `${text}\n`);
  return { ca: pem(ca.cert), cert: pem(server.cert), key: pem(server.private) };
}

// Certificate profiles per role. EKU: server certificates need serverAuth (OpenSSL purpose sslserver;
// MariaDB refused a server cert without it with error 26, spec §10), replica certificates clientAuth
// (a source refused one without it: alert "unsupported certificate"), relays both.
import { OID } from "./der/oids.js";
import { KEY_USAGE } from "./x509/extensions.js";
import type { KeyType } from "./x509/signer.js";

export type Role = "server" | "replica" | "relay";
export const ROLES: readonly Role[] = ["server", "replica", "relay"];

export function extendedKeyUsages(role: Role): string[] {
  if (role === "server") return [OID.serverAuth];
  if (role === "replica") return [OID.clientAuth];
  return [OID.serverAuth, OID.clientAuth];
}

/**
 * keyUsage for a leaf: digitalSignature always; keyEncipherment for RSA keys, which TLS 1.2 RSA key
 * exchange needs (RFC 5246 §7.4.2) and yaSSL-era servers still negotiate.
 */
export function leafKeyUsage(keyType: KeyType): number[] {
  return keyType.startsWith("rsa")
    ? [KEY_USAGE.digitalSignature, KEY_USAGE.keyEncipherment]
    : [KEY_USAGE.digitalSignature];
}

export const CA_KEY_USAGE = [KEY_USAGE.keyCertSign, KEY_USAGE.cRLSign];

export const DEFAULT_DAYS = { root: 3650, intermediate: 1825, leaf: 825 } as const;

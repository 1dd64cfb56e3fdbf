// Issuing a leaf certificate for a server, replica or relay (issue 3; spec §3 and §7).
import { InputError, UsageError } from "../errors.js";
import type { CoreDeps, KeyFormat } from "./deps.js";
import type { IndexEntry } from "./index/records.js";
import { classifySans, validateName } from "./names.js";
import { formatIp } from "./net/ip.js";
import { DEFAULT_DAYS, extendedKeyUsages, leafKeyUsage, type Role } from "./profiles.js";
import { formatSerial, newSerial } from "./serial.js";
import { addMs, DAY_MS, formatTime, NOT_BEFORE_BACKDATE_MS } from "./time.js";
import { signCertificate } from "./x509/certificate-build.js";
import {
  authorityKeyIdentifier,
  basicConstraints,
  extKeyUsage,
  keyIdentifier,
  keyUsage,
  subjectAltName,
  subjectKeyIdentifier,
} from "./x509/extensions.js";
import { commonNameDer } from "./x509/name.js";
import type { KeyType, Signer } from "./x509/signer.js";

/** The CA that signs leaves, as the core needs it. */
export interface SigningCa {
  /** The CA's name in the index ("root" or "intermediate"). */
  name: string;
  subject: Buffer;
  keyId: Buffer;
  signer: Signer;
  notAfter: Date;
  /** The CN of every CA in the chain: a leaf may not reuse one (mysqld ERROR 2026, spec §7). */
  chainCommonNames: string[];
}

export interface IssueRequest {
  name: string;
  role: Role;
  hosts?: string[];
  ips?: string[];
  days?: number;
  keyType?: KeyType;
  keyFormat?: KeyFormat;
}

export interface IssuedLeaf {
  certDer: Buffer;
  keyPem: string;
  entry: IndexEntry;
  warnings: string[];
}

/** Checks everything about a request that needs no CA state, before any key is generated. */
export function validateIssueRequest(req: IssueRequest) {
  validateName(req.name);
  const sans = classifySans(req.hosts ?? [], req.ips ?? []);
  if (req.role !== "replica" && sans.dns.length === 0 && sans.ips.length === 0) {
    throw new UsageError("MISSING_ARGUMENT", `a ${req.role} certificate needs at least one --host or --ip`, {
      hint: `give every name replicas dial, e.g. repl-pki issue ${req.role} ${req.name} --host db1.example.com --ip 10.0.0.5`,
    });
  }
  // every leaf has a SAN (spec §7): a replica without --host gets its NAME as dNSName
  if (sans.dns.length === 0 && sans.ips.length === 0) sans.dns.push(req.name);
  // CN = first host (the name 5.7 / yaSSL clients compare exactly) or NAME
  const hosts = req.hosts ?? [];
  const cn = hosts[0] ?? (req.role === "replica" ? req.name : (sans.ipTexts[0] ?? req.name));
  return { sans, cn };
}

/**
 * @example
 * const leaf = issueLeaf(ca, { name: "db1", role: "server", hosts: ["db1.example.com"] }, deps);
 */
export function issueLeaf(ca: SigningCa, req: IssueRequest, deps: CoreDeps): IssuedLeaf {
  const { sans, cn } = validateIssueRequest(req);
  if (ca.chainCommonNames.some((c) => c === cn)) {
    throw new InputError("NAME_EQUALS_CA_CN", `the certificate CN "${cn}" equals a CA's CN`, {
      hint: "mysqld fails such a handshake with ERROR 2026: choose another first --host or NAME",
    });
  }
  const warnings: string[] = [];
  const now = deps.clock();
  let notAfter = addMs(now, (req.days ?? DEFAULT_DAYS.leaf) * DAY_MS);
  if (notAfter > ca.notAfter) {
    notAfter = ca.notAfter;
    warnings.push(`validity shortened to the signing CA's expiry ${formatTime(notAfter)}`);
  }
  const notBefore = addMs(now, -NOT_BEFORE_BACKDATE_MS);
  const key = deps.keys(req.keyType ?? ca.signer.keyType);
  const serial = newSerial(deps.random);
  const spki = key.signer.spki;
  const certDer = signCertificate(
    {
      serial,
      issuer: ca.subject,
      subject: commonNameDer(cn),
      notBefore,
      notAfter,
      spki,
      extensions: [
        basicConstraints(false),
        keyUsage(leafKeyUsage(key.signer.keyType)),
        extKeyUsage(extendedKeyUsages(req.role)),
        subjectAltName(sans.dns, sans.ips),
        subjectKeyIdentifier(keyIdentifier(spki)),
        authorityKeyIdentifier(ca.keyId),
      ],
    },
    ca.signer,
  );
  const entry: IndexEntry = {
    serial: formatSerial(serial),
    name: req.name,
    role: req.role,
    notBefore: formatTime(notBefore),
    notAfter: formatTime(notAfter),
    subject: `CN=${cn}`,
    sans: formatSans(sans.dns, sans.ips),
    issuer: ca.name,
    status: "V",
    revokedAt: "",
    reason: "",
  };
  return { certDer, keyPem: key.privateKeyPem(req.keyFormat ?? "traditional"), entry, warnings };
}

export const formatSans = (dns: string[], ips: Uint8Array[]): string =>
  [...dns.map((d) => `DNS:${d}`), ...ips.map((ip) => `IP:${formatIp(ip)}`)].join(",");

// Creating a certificate authority: a self-signed root, optionally an intermediate that signs all leaves.
import type { CoreDeps, GeneratedKey, KeyFormat } from "./deps.js";
import { CA_KEY_USAGE, DEFAULT_DAYS } from "./profiles.js";
import { newSerial } from "./serial.js";
import { addMs, DAY_MS, NOT_BEFORE_BACKDATE_MS } from "./time.js";
import { signCertificate } from "./x509/certificate-build.js";
import {
  authorityKeyIdentifier,
  basicConstraints,
  keyIdentifier,
  keyUsage,
  subjectKeyIdentifier,
} from "./x509/extensions.js";
import { commonNameDer } from "./x509/name.js";
import type { KeyType } from "./x509/signer.js";

export interface CreateCaRequest {
  cn: string;
  keyType: KeyType;
  /** Root lifetime in days (default 3650). */
  days?: number;
  /** Also create an intermediate CA (default lifetime 1825 days) that signs every leaf. */
  intermediate?: boolean;
  intermediateDays?: number;
}

export interface CaCertificateMaterial {
  certDer: Buffer;
  keyPem: string;
  keyId: Buffer;
}

export interface CaMaterial {
  root: CaCertificateMaterial;
  intermediate: CaCertificateMaterial | undefined;
}

/** CA keys are written PKCS#8: only repl-pki and OpenSSL read them, and PKCS#8 names its algorithm. */
const CA_KEY_FORMAT: KeyFormat = "pkcs8";

export const intermediateCommonName = (rootCn: string): string => `${rootCn} Intermediate`;

/**
 * @example
 * const ca = createCa({ cn: "Replication CA", keyType: "ec-p256" }, deps);
 */
export function createCa(req: CreateCaRequest, deps: CoreDeps): CaMaterial {
  const now = deps.clock();
  const notBefore = addMs(now, -NOT_BEFORE_BACKDATE_MS);
  const rootKey = deps.keys(req.keyType);
  const rootId = keyIdentifier(rootKey.signer.spki);
  const rootName = commonNameDer(req.cn);
  const rootNotAfter = addMs(now, (req.days ?? DEFAULT_DAYS.root) * DAY_MS);
  const root = material(
    rootKey,
    rootId,
    {
      serial: newSerial(deps.random),
      issuer: rootName,
      subject: rootName,
      notBefore,
      notAfter: rootNotAfter,
      spki: rootKey.signer.spki,
      extensions: [
        basicConstraints(true),
        keyUsage(CA_KEY_USAGE),
        subjectKeyIdentifier(rootId),
        authorityKeyIdentifier(rootId),
      ],
    },
    rootKey,
  );
  if (!req.intermediate) return { root, intermediate: undefined };

  const intKey = deps.keys(req.keyType);
  const intId = keyIdentifier(intKey.signer.spki);
  const intNotAfter = addMs(now, (req.intermediateDays ?? DEFAULT_DAYS.intermediate) * DAY_MS);
  const intermediate = material(
    intKey,
    intId,
    {
      serial: newSerial(deps.random),
      issuer: rootName,
      subject: commonNameDer(intermediateCommonName(req.cn)),
      notBefore,
      // an intermediate never outlives its root (RFC 5280 §6.1.3 checks each certificate's own validity)
      notAfter: new Date(Math.min(intNotAfter.getTime(), rootNotAfter.getTime())),
      spki: intKey.signer.spki,
      extensions: [
        basicConstraints(true, 0),
        keyUsage(CA_KEY_USAGE),
        subjectKeyIdentifier(intId),
        authorityKeyIdentifier(rootId),
      ],
    },
    rootKey,
  );
  return { root, intermediate };
}

function material(
  key: GeneratedKey,
  keyId: Buffer,
  template: Parameters<typeof signCertificate>[0],
  issuerKey: GeneratedKey,
): CaCertificateMaterial {
  return {
    certDer: signCertificate(template, issuerKey.signer),
    keyPem: key.privateKeyPem(CA_KEY_FORMAT),
    keyId,
  };
}

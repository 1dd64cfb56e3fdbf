// `repl-pki init-ca`: create a CA directory.
import { type CaMaterial, type CreateCaRequest, createCa } from "../core/ca.js";
import type { CoreDeps } from "../core/deps.js";
import type { IndexEntry } from "../core/index/records.js";
import { DEFAULT_DAYS } from "../core/profiles.js";
import { formatSerial } from "../core/serial.js";
import { formatTime } from "../core/time.js";
import { parseCertificateDer } from "../core/x509/certificate-parse.js";
import { commonNames } from "../core/x509/name.js";
import { UsageError } from "../errors.js";
import { assertCaDirFree, planNewCa, writeNewCa } from "../store/ca-store.js";
import { caLayout } from "../store/layout.js";

export interface InitCaOptions extends Partial<CreateCaRequest> {
  dir: string;
}

export interface InitCaResult {
  dir: string;
  root: IndexEntry;
  intermediate: IndexEntry | undefined;
  files: {
    chain: string;
    rootCert: string;
    rootKey: string;
    intermediateCert?: string;
    intermediateKey?: string;
  };
}

export const DEFAULT_CA_CN = "repl-pki Root CA";

function caEntry(der: Buffer, name: string, role: IndexEntry["role"]): IndexEntry {
  const p = parseCertificateDer(der);
  return {
    serial: formatSerial(p.serial),
    name,
    role,
    notBefore: formatTime(p.notBefore),
    notAfter: formatTime(p.notAfter),
    subject: `CN=${commonNames(p.subject)[0] ?? ""}`,
    sans: "",
    issuer: "root",
    status: "V",
    revokedAt: "",
    reason: "",
  };
}

/**
 * @example
 * await initCa({ dir: "./pki", cn: "Replication CA", keyType: "ec-p256", intermediate: true }, systemDeps());
 */
export function initCa(opts: InitCaOptions, deps: CoreDeps): InitCaResult {
  const cn = opts.cn ?? DEFAULT_CA_CN;
  if (!/^[\x20-\x7e]{1,64}$/.test(cn) || /[/+]/.test(cn) || cn.trim() !== cn) {
    throw new UsageError("INVALID_OPTION_VALUE", `invalid CA common name "${cn}"`, {
      hint: "use 1-64 printable ASCII characters without '/' or '+' (they change REQUIRE ISSUER strings across OpenSSL versions)",
    });
  }
  assertCaDirFree(opts.dir);
  const material: CaMaterial = createCa(
    {
      cn,
      keyType: opts.keyType ?? "rsa-2048",
      days: opts.days ?? DEFAULT_DAYS.root,
      intermediate: opts.intermediate,
    },
    deps,
  );
  const root = caEntry(material.root.certDer, "root", "root-ca");
  const intermediate = material.intermediate
    ? caEntry(material.intermediate.certDer, "intermediate", "intermediate-ca")
    : undefined;
  writeNewCa(
    opts.dir,
    planNewCa({
      config: { format: 1, keyType: opts.keyType ?? "rsa-2048", intermediate: Boolean(opts.intermediate) },
      root: { ...material.root, entry: root },
      intermediate:
        material.intermediate && intermediate ? { ...material.intermediate, entry: intermediate } : undefined,
    }),
  );
  const l = caLayout(opts.dir);
  return {
    dir: opts.dir,
    root,
    intermediate,
    files: {
      chain: l.chain,
      rootCert: l.rootCert,
      rootKey: l.rootKey,
      ...(intermediate ? { intermediateCert: l.intermediateCert, intermediateKey: l.intermediateKey } : {}),
    },
  };
}

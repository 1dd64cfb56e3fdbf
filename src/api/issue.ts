// `repl-pki issue server|replica|relay NAME`: one leaf certificate from the CA in --dir.
import type { CoreDeps, KeyFormat } from "../core/deps.js";
import { encodeEntry, type IndexEntry } from "../core/index/records.js";
import { type IssueRequest, issueLeaf, type SigningCa, validateIssueRequest } from "../core/issue.js";
import { pemEncode } from "../core/x509/pem.js";
import { KEY_TYPES, type KeyType } from "../core/x509/signer.js";
import { signerFor } from "../crypto/keys.js";
import { InputError, InternalError, UsageError } from "../errors.js";
import {
  discardUncommittedLeaf,
  type LoadedCa,
  leafCertExists,
  loadCa,
  loadSigningKey,
  reserveSerial,
} from "../store/ca-store.js";
import { writeFileAtomic } from "../store/fs-atomic.js";
import { appendRecords, readJournal } from "../store/journal.js";
import { RESERVED_NAMES } from "../store/layout.js";
import { withLock } from "../store/lock.js";

export interface IssueOptions extends IssueRequest {
  dir: string;
}

export interface IssueResult {
  entry: IndexEntry;
  certPath: string;
  keyPath: string;
  chainPath: string;
  warnings: string[];
}

export function parseKeyType(text: string): KeyType {
  if (!(KEY_TYPES as readonly string[]).includes(text)) {
    throw new UsageError("INVALID_OPTION_VALUE", `unknown key type "${text}"`, {
      hint: `use one of: ${KEY_TYPES.join(", ")}`,
    });
  }
  return text as KeyType;
}

export function parseKeyFormat(text: string): KeyFormat {
  if (text === "pkcs8") return "pkcs8";
  if (text === "traditional" || text === "pkcs1" || text === "sec1") return "traditional";
  throw new UsageError("INVALID_OPTION_VALUE", `unknown key format "${text}"`, {
    hint: "use pkcs1 (RSA) / sec1 (EC), the default that every MySQL build reads, or pkcs8",
  });
}

export function signingCaOf(ca: LoadedCa): SigningCa {
  const signer = signerFor(loadSigningKey(ca));
  return {
    name: ca.intermediate ? "intermediate" : "root",
    subject: ca.signing.parsed.subject,
    keyId: ca.signing.parsed.subjectKeyId ?? Buffer.alloc(0),
    signer,
    notAfter: ca.signing.parsed.notAfter,
    chainCommonNames: [ca.root.commonName, ...(ca.intermediate ? [ca.intermediate.commonName] : [])],
  };
}

function assertNameFree(ca: LoadedCa, name: string): void {
  const taken = () =>
    new InputError("NAME_ALREADY_ISSUED", `a certificate named "${name}" already exists`, {
      hint: `choose another NAME, or revoke and renew ${name} (repl-pki show ${name})`,
    });
  if (RESERVED_NAMES.has(name)) throw taken();
  if (!leafCertExists(ca, name)) return;
  // The cert file is the fast check. It is written before the index line, so a crash in between can leave
  // a file the index never recorded: only then may the name be reused.
  for (const e of readJournal(ca.layout.index).entries.values()) if (e.name === name) throw taken();
}

/**
 * @example
 * issue({ dir: "./pki", name: "db1", role: "server", hosts: ["db1.example.com"] }, systemDeps());
 */
export function issue(opts: IssueOptions, deps: CoreDeps): IssueResult {
  validateIssueRequest(opts);
  const ca = loadCa(opts.dir);
  const signingName = ca.intermediate ? "intermediate" : "root";
  const revokedAt = ca.config.revoked?.[signingName];
  if (revokedAt) {
    throw new InputError(
      "CA_REVOKED",
      `the ${signingName} CA was revoked at ${revokedAt}: it signs nothing more`,
      {
        hint: "every certificate it issued is refused by CRL-checking servers; create a new CA (init-ca --dir <new dir>) and reissue",
      },
    );
  }
  const signing = signingCaOf(ca);
  const l = ca.layout;
  return withLock(opts.dir, () => {
    assertNameFree(ca, opts.name);
    for (let attemptNo = 0; ; attemptNo++) {
      const leaf = issueLeaf(signing, opts, deps);
      if (!reserveSerial(ca, opts.name, leaf.entry.serial)) {
        if (attemptNo < 3) continue; // a 159-bit random serial collided: draw another
        throw new InternalError(`serial ${leaf.entry.serial} collided ${attemptNo + 1} times`);
      }
      try {
        writeFileAtomic(l.key(opts.name), leaf.keyPem, 0o600);
        writeFileAtomic(l.cert(opts.name), pemEncode("CERTIFICATE", leaf.certDer), 0o644);
        appendRecords(l.index, [encodeEntry(leaf.entry)]); // the commit point
      } catch (e) {
        discardUncommittedLeaf(ca, opts.name, leaf.entry.serial); // a failed issue leaves nothing behind
        throw e;
      }
      return {
        entry: leaf.entry,
        certPath: l.cert(opts.name),
        keyPath: l.key(opts.name),
        chainPath: l.chain,
        warnings: leaf.warnings,
      };
    }
  });
}

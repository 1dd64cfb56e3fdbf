// The files of one server's bundle (architecture §5.1 rule 4: plan, then one materialiser writes):
// only what the server needs, keys 0600.
import { type FilePlan, publicFile, secretFile } from "../file-plan.js";
import { type BundleModel, BUNDLE_FILES as F } from "./model.js";
import { renderMyCnf, spliceManagedBlock } from "./my-cnf.js";
import { renderRunbook } from "./runbook.js";
import { renderReplicaSql, renderSourceSql } from "./sql.js";

export interface BundleMaterials {
  /** Trust bundle: intermediates then root. */
  caPem: string;
  /** The server's certificate, leaf then intermediates, and its key. */
  certPem?: string;
  keyPem?: string;
  clientCertPem?: string;
  clientKeyPem?: string;
  crlPem?: Buffer;
  /** Every file of the CA's crl.d (CA certificates <hash>.N and CRL generations <hash>.rN). */
  crlDir?: { name: string; contents: Buffer }[];
}

/** True for every path a bundle may contain: stale ones are removed, anything else is left alone. */
export const isBundlePath = (path: string): boolean =>
  Object.values(F).includes(path as (typeof F)[keyof typeof F]) || path.startsWith(`${F.crlDir}/`);

/**
 * @example
 * const plan = planServerBundle(model, materials, existingMyCnf);
 */
export function planServerBundle(m: BundleModel, x: BundleMaterials, existingMyCnf = ""): FilePlan {
  const need = <T>(v: T | undefined, what: string): T => {
    if (v === undefined) throw new Error(`bundle ${m.name}: ${what} missing`);
    return v;
  };
  const plan: FilePlan = [publicFile(F.ca, x.caPem)];
  if (m.paths.cert) {
    plan.push(publicFile(F.cert, need(x.certPem, "certificate")), secretFile(F.key, need(x.keyPem, "key")));
  }
  if (m.paths.clientCert) {
    plan.push(
      publicFile(F.clientCert, need(x.clientCertPem, "client certificate")),
      secretFile(F.clientKey, need(x.clientKeyPem, "client key")),
    );
  }
  if (m.paths.crlFile) plan.push(publicFile(F.crlFile, need(x.crlPem, "crl.pem")));
  if (m.paths.crlDir) {
    for (const f of need(x.crlDir, "crl.d")) plan.push(publicFile(`${F.crlDir}/${f.name}`, f.contents));
  }
  const cnf = renderMyCnf(m);
  if (cnf) plan.push(publicFile(F.myCnf, spliceManagedBlock(existingMyCnf, cnf)));
  const source = renderSourceSql(m);
  if (source) plan.push(publicFile(F.sourceSql, source));
  const replica = renderReplicaSql(m);
  if (replica) plan.push(publicFile(F.replicaSql, replica));
  plan.push(publicFile(F.runbook, renderRunbook(m)));
  return plan;
}

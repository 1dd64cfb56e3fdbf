// The last gate before a CRL is written: it must verify with its CA's key, name that CA as issuer and
// still be current. A CRL failing any of these would make every server that loads it refuse every
// certificate-presenting connection (spec §1: mysqld installs no verify callback).
import { verifySignedDer } from "../../crypto/verify-signature.js";
import { InputError } from "../../errors.js";
import { formatTime } from "../time.js";
import type { ParsedCertificate } from "../x509/certificate-parse.js";
import { type ParsedCrl, parseCrlDer } from "./parse-crl.js";

export function checkCrl(der: Buffer, ca: ParsedCertificate, caName: string, now: Date): ParsedCrl {
  const crl = parseCrlDer(der);
  const refuse = (why: string) =>
    new InputError("CRL_INVALID", `refused to write the CRL of the ${caName} CA: ${why}`, {
      hint: "check that the CA key matches the CA certificate and that the system clock is right",
    });
  if (!crl.issuer.equals(ca.subject)) throw refuse("its issuer is not the CA's subject");
  if (!verifySignedDer(crl.tbs, crl.signatureAlgorithm, crl.signature, ca.spki)) {
    throw refuse("its signature does not verify with the CA certificate's key");
  }
  if (!crl.nextUpdate || crl.nextUpdate.getTime() <= now.getTime()) {
    throw refuse(
      `its nextUpdate ${crl.nextUpdate ? formatTime(crl.nextUpdate) : "(none)"} is not in the future`,
    );
  }
  return crl;
}

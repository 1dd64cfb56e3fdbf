// Revocation reasons (RFC 5280 §5.3.1 CRLReason). `unspecified` is never written as a reasonCode
// extension: §5.3.1 says the extension SHOULD be absent instead of carrying unspecified (0).
import { UsageError } from "../errors.js";

export const REASON_CODES = {
  unspecified: 0,
  keyCompromise: 1,
  caCompromise: 2,
  affiliationChanged: 3,
  superseded: 4,
  cessationOfOperation: 5,
  certificateHold: 6,
} as const;

export type RevocationReason = keyof typeof REASON_CODES;
export const REVOCATION_REASONS = Object.keys(REASON_CODES) as RevocationReason[];

export function parseReason(text: string): RevocationReason {
  if (!Object.hasOwn(REASON_CODES, text)) {
    throw new UsageError("INVALID_OPTION_VALUE", `unknown revocation reason "${text}"`, {
      hint: `use one of: ${REVOCATION_REASONS.join(", ")}`,
    });
  }
  return text as RevocationReason;
}

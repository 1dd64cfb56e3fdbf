// Typed errors (model: sigstore-js BaseError<Code>, changesets ExitError/InternalError). Every error a user
// can cause carries a stable code, a message and a hint; the CLI renders them in one place
// (src/cli/render-error.ts) and maps the category to an exit code (src/cli/exit-codes.ts).

export type ErrorCategory = "usage" | "input" | "check" | "internal";

/** Index of every error code with its meaning (rendered into docs/errors by the help test). */
export const ERROR_CODES = {
  // usage (exit 2)
  INVALID_OPTION_VALUE: "an option or argument has a value that is not allowed",
  MISSING_ARGUMENT: "a required option or argument is missing",
  CONFLICTING_OPTIONS: "two options cannot be used together",
  UNKNOWN_COMMAND: "no such command or option",
  INVALID_NAME: "a certificate NAME is not lowercase [a-z0-9][a-z0-9._-]*",
  INVALID_HOST: "a host name or IP literal is malformed",
  INVALID_SERIAL: "a serial number is malformed",
  INVALID_TIME: "a time or duration is malformed",
  // input/state (exit 3)
  CA_ALREADY_EXISTS: "the CA directory already holds a CA",
  CA_NOT_FOUND: "the CA directory does not exist or holds no CA",
  CA_CORRUPT: "a CA file is missing, unreadable or inconsistent",
  CA_KEY_MISMATCH: "the CA private key does not match the CA certificate",
  NAME_ALREADY_ISSUED: "a certificate with that NAME already exists",
  NAME_EQUALS_CA_CN: "a leaf CN would equal a CA's CN (mysqld fails with ERROR 2026)",
  CA_REVOKED: "the CA that would sign is revoked",
  UNKNOWN_CERTIFICATE: "no issued certificate has that NAME or serial",
  ALREADY_REVOKED: "the certificate is already revoked",
  PERMISSION_DENIED: "the file system refused access",
  LOCK_TIMEOUT: "another repl-pki process holds the CA lock",
  INDEX_CORRUPT: "the index journal has a damaged record",
  FILE_NOT_FOUND: "an input file does not exist",
  PEM_PARSE_FAILED: "an input is not the PEM/DER object expected",
  CRL_INVALID: "refused to write a CRL that would be expired or does not verify",
  OUT_DIR_NOT_EMPTY: "the output directory already holds files (--force writes into it anyway)",
  TOPOLOGY_INVALID: "the topology file is not valid JSON or breaks the topology schema",
  MANAGED_BLOCK_BROKEN: "an option file's repl-pki managed block has a missing or extra marker",
  CRL_MISSING: "a CA of the chain has no CRL to ship (servers would fail: unable to get certificate CRL)",
  CERTIFICATE_UNUSABLE: "the certificate is revoked, expired or of the wrong role for this use",
  // check answered no (exit 1)
  VERIFY_FAILED: "a certificate does not verify as OpenSSL inside mysqld would check it (verify)",
  HOST_MISMATCH: "a certificate does not match the host, or is rejected for identity (check-host)",
  DOCTOR_CRITICAL: "doctor found a problem that breaks, or is about to break, a TLS handshake",
  DOCTOR_WARNINGS: "doctor found warnings and --strict was given",
  CRL_EXPIRED: "a CRL is past its nextUpdate: connections checked against it are refused",
  CRL_EXPIRING: "refused to ship a CRL whose nextUpdate is inside the safety window",
  IDENTITY_MISMATCH: "a replica's dialled host does not match its source's certificate",
  // internal (exit 4)
  INTERNAL: "a bug in repl-pki",
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface ErrorOptions {
  hint?: string;
  details?: Record<string, unknown>;
  cause?: unknown;
}

export class ReplPkiError extends Error {
  readonly code: ErrorCode;
  readonly category: ErrorCategory;
  readonly hint: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(category: ErrorCategory, code: ErrorCode, message: string, opts: ErrorOptions = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.category = category;
    this.code = code;
    this.hint = opts.hint;
    this.details = opts.details;
  }
}

/** Bad flags or arguments: the user must change the command line. */
export class UsageError extends ReplPkiError {
  constructor(code: ErrorCode, message: string, opts?: ErrorOptions) {
    super("usage", code, message, opts);
  }
}

/** Something in the world (files, CA state) the user must fix. */
export class InputError extends ReplPkiError {
  constructor(code: ErrorCode, message: string, opts?: ErrorOptions) {
    super("input", code, message, opts);
  }
}

/** A check answered "no": not a malfunction, scripts branch on it. */
export class CheckFailure extends ReplPkiError {
  constructor(code: ErrorCode, message: string, opts?: ErrorOptions) {
    super("check", code, message, opts);
  }
}

/**
 * A "no" answer the command has already printed (e.g. as JSON): exit 1 with nothing more on the
 * output (changesets' ExitError).
 */
export class AnsweredNo extends CheckFailure {
  readonly quiet = true;
}

/** A bug. The only error shown with a stack trace (under REPL_PKI_DEBUG=1). */
export class InternalError extends ReplPkiError {
  constructor(message: string, opts?: ErrorOptions) {
    super("internal", "INTERNAL", message, opts);
  }
}

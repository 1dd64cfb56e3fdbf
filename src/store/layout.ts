// The one place that knows the file names inside a CA directory.
import { join } from "node:path";

export const RESERVED_NAMES = new Set(["root", "intermediate", "ca", "chain"]);

export function caLayout(dir: string) {
  return {
    dir,
    config: join(dir, "repl-pki.json"),
    caDir: join(dir, "ca"),
    rootCert: join(dir, "ca", "root.pem"),
    rootKey: join(dir, "ca", "root.key"),
    intermediateCert: join(dir, "ca", "intermediate.pem"),
    intermediateKey: join(dir, "ca", "intermediate.key"),
    /** Trust bundle for ssl_ca / MASTER_SSL_CA: intermediates first, then the root. */
    chain: join(dir, "ca", "chain.pem"),
    index: join(dir, "index.log"),
    certsDir: join(dir, "certs"),
    keysDir: join(dir, "keys"),
    serialsDir: join(dir, "serials"),
    cert: (name: string) => join(dir, "certs", `${name}.pem`),
    key: (name: string) => join(dir, "keys", `${name}.key`),
    serialLink: (serial: string) => join(dir, "serials", serial),
  };
}

export type CaLayout = ReturnType<typeof caLayout>;

// Cold start of a Node CLI that depends on @peculiar/x509: load the library
// (and the reflect-metadata polyfill it needs) and exit.
import "reflect-metadata";
import * as x509 from "@peculiar/x509";

if (typeof x509.X509CertificateGenerator !== "function") process.exit(1);

// Key generation, key encoding and signing with node:crypto (the fast path: no ASN.1 object model).
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPair,
  generateKeyPairSync,
  type KeyObject,
  sign,
} from "node:crypto";
import { nullValue, oid, seq } from "../core/der/encode.js";
import { OID } from "../core/der/oids.js";
import type { KeyType, Signer } from "../core/x509/signer.js";
import { InputError } from "../errors.js";

export type KeyFormat = "traditional" | "pkcs8";

type GenArgs = ["rsa", { modulusLength: number }] | ["ec", { namedCurve: string }];

function genArgs(type: KeyType): GenArgs {
  switch (type) {
    case "rsa-2048":
      return ["rsa", { modulusLength: 2048 }];
    case "rsa-3072":
      return ["rsa", { modulusLength: 3072 }];
    case "rsa-4096":
      return ["rsa", { modulusLength: 4096 }];
    case "ec-p256":
      return ["ec", { namedCurve: "prime256v1" }];
    case "ec-p384":
      return ["ec", { namedCurve: "secp384r1" }];
  }
}

export function generatePrivateKey(type: KeyType): KeyObject {
  const [alg, opts] = genArgs(type);
  // biome-ignore lint/suspicious/noExplicitAny: node's overloads do not accept a union of the two shapes
  return (generateKeyPairSync as any)(alg, opts).privateKey as KeyObject;
}

/** Off the main thread (libuv pool): RSA bulk generation uses both cores this way. */
export function generatePrivateKeyAsync(type: KeyType): Promise<KeyObject> {
  const [alg, opts] = genArgs(type);
  return new Promise((resolve, reject) => {
    // biome-ignore lint/suspicious/noExplicitAny: see generatePrivateKey
    (generateKeyPair as any)(alg, opts, (err: Error | null, _pub: KeyObject, priv: KeyObject) =>
      err ? reject(err) : resolve(priv),
    );
  });
}

export function keyTypeOf(key: KeyObject): KeyType {
  const d = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === "rsa") {
    const bits = d.modulusLength;
    if (bits === 2048 || bits === 3072 || bits === 4096) return `rsa-${bits}` as KeyType;
  } else if (key.asymmetricKeyType === "ec") {
    if (d.namedCurve === "prime256v1") return "ec-p256";
    if (d.namedCurve === "secp384r1") return "ec-p384";
  }
  throw new InputError("PEM_PARSE_FAILED", `unsupported key: ${key.asymmetricKeyType} ${JSON.stringify(d)}`, {
    hint: "repl-pki handles RSA 2048/3072/4096 and EC P-256/P-384 keys",
  });
}

/**
 * PEM of a private key. "traditional" is PKCS#1 `BEGIN RSA PRIVATE KEY` for RSA (the only form yaSSL-era
 * MySQL reads: extra/yassl/src/crypto_wrapper.cpp PemToDer) and SEC1 `BEGIN EC PRIVATE KEY` for EC.
 */
export function privateKeyPem(key: KeyObject, format: KeyFormat): string {
  if (format === "pkcs8") return key.export({ type: "pkcs8", format: "pem" }) as string;
  const type = key.asymmetricKeyType === "rsa" ? "pkcs1" : "sec1";
  return key.export({ type, format: "pem" }) as string;
}

export function parsePrivateKeyPem(pem: string | Buffer): KeyObject {
  try {
    return createPrivateKey(pem);
  } catch (cause) {
    throw new InputError("PEM_PARSE_FAILED", "not a readable unencrypted private key", {
      cause,
      hint: "give a PEM private key (PKCS#1, SEC1 or PKCS#8) without a passphrase",
    });
  }
}

export function spkiDer(key: KeyObject): Buffer {
  const pub = key.type === "private" ? createPublicKey(key) : key;
  return pub.export({ type: "spki", format: "der" }) as Buffer;
}

function signatureParams(type: KeyType): { hash: string; algorithmIdentifier: Buffer } {
  switch (type) {
    case "ec-p256":
      return { hash: "sha256", algorithmIdentifier: seq(oid(OID.ecdsaWithSHA256)) };
    case "ec-p384":
      return { hash: "sha384", algorithmIdentifier: seq(oid(OID.ecdsaWithSHA384)) };
    default:
      // RFC 4055 §5: the parameters of sha256WithRSAEncryption are NULL.
      return { hash: "sha256", algorithmIdentifier: seq(oid(OID.sha256WithRSAEncryption), nullValue()) };
  }
}

export function signerFor(key: KeyObject): Signer {
  const keyType = keyTypeOf(key);
  const { hash, algorithmIdentifier } = signatureParams(keyType);
  return {
    keyType,
    algorithmIdentifier,
    spki: spkiDer(key),
    sign: (data) => sign(hash, data, key),
  };
}

/** True when `key` is the private half of the public key in `spki`. */
export function keyMatchesSpki(key: KeyObject, spki: Buffer): boolean {
  return spkiDer(key).equals(spki);
}

/** Key type of a DER SubjectPublicKeyInfo, or a description when it is not one we issue. */
export function spkiKeyType(spki: Buffer): string {
  try {
    return keyTypeOf(createPublicKey({ key: spki, format: "der", type: "spki" }));
  } catch {
    return "unsupported";
  }
}

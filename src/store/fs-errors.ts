// Turns node:fs errors into typed errors with a hint, so no errno stack ever reaches the user.
import { InputError } from "../errors.js";

export function fsError(cause: unknown, action: string, path: string): InputError {
  const code = (cause as NodeJS.ErrnoException)?.code;
  if (code === "EACCES" || code === "EPERM" || code === "EROFS") {
    return new InputError("PERMISSION_DENIED", `failed to ${action} ${path}: permission denied`, {
      cause,
      hint: "run as the user that owns the CA directory, or choose another --dir",
    });
  }
  if (code === "ENOENT") {
    return new InputError("FILE_NOT_FOUND", `failed to ${action} ${path}: no such file or directory`, {
      cause,
    });
  }
  if (code === "ENOSPC") {
    return new InputError("PERMISSION_DENIED", `failed to ${action} ${path}: no space left on device`, {
      cause,
    });
  }
  return new InputError("PERMISSION_DENIED", `failed to ${action} ${path}: ${code ?? String(cause)}`, {
    cause,
  });
}

export function attempt<T>(action: string, path: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if ((e as { category?: string }).category) throw e;
    throw fsError(e, action, path);
  }
}

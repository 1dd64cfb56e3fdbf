// Exclusive lock on a CA directory. Node has no flock(2), so the lock is a file created with O_EXCL that
// holds the owner's pid and process start time; a lock whose owner is gone (or whose pid was reused by
// another process, detected by the start time in /proc/<pid>/stat) is stale and broken safely.
import {
  closeSync,
  existsSync,
  linkSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { InputError } from "../errors.js";
import { attempt, fsError } from "./fs-errors.js";

const LOCK_FILE = ".lock";
const BREAK_FILE = ".lock.break";

function processStartTime(pid: number): string {
  try {
    // Field 22 of /proc/<pid>/stat (starttime, clock ticks since boot); comm (field 2) may hold spaces.
    const stat = readFileSync(`/proc/${pid}/stat`, "latin1");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] ?? "";
  } catch {
    return "";
  }
}

function ownerAlive(content: string): boolean {
  const [pidText, start, host] = content.trim().split(" ");
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (host && host !== hostname()) return true; // another machine's lock (NFS): never break it
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
  return start === undefined || start === "" || processStartTime(pid) === start;
}

const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

function tryBreakStale(lockPath: string, seen: string): void {
  const breakPath = join(lockPath, "..", BREAK_FILE);
  try {
    // a break lock older than 10 s belongs to a process that died while breaking
    if (Date.now() - statSync(breakPath).mtimeMs > 10_000) unlinkSync(breakPath);
  } catch {}
  let fd: number;
  try {
    fd = openSync(breakPath, "wx", 0o600);
  } catch {
    return;
  }
  try {
    const now = readFileSync(lockPath, "latin1");
    if (now === seen) {
      unlinkSync(lockPath); // still the same stale owner: nobody re-took it meanwhile
      const deadPid = seen.split(" ")[0]!;
      rmSync(join(lockPath, "..", `.lock.${deadPid}`), { force: true }); // the dead owner's link source
      removeTempFilesOf(join(lockPath, ".."), deadPid);
    }
  } catch {
  } finally {
    closeSync(fd);
    unlinkSync(breakPath);
  }
}

/** Temporary files (fs-atomic.ts: .NAME.PID.N.tmp) a killed owner left in the CA directory. */
function removeTempFilesOf(dir: string, pid: string): void {
  if (!/^\d+$/.test(pid)) return;
  const pattern = new RegExp(`^\\..*\\.${pid}\\.\\d+\\.tmp$`);
  for (const sub of ["", "keys", "certs", "ca", "crl", "crl.d"]) {
    let names: string[];
    try {
      names = readdirSync(join(dir, sub));
    } catch {
      continue;
    }
    for (const n of names) if (pattern.test(n)) rmSync(join(dir, sub, n), { force: true });
  }
}

export interface LockOptions {
  timeoutMs?: number;
}

/** Runs `fn` while holding the CA directory lock; waits for another holder up to `timeoutMs`. */
export function withLock<T>(dir: string, fn: () => T, opts: LockOptions = {}): T {
  const lockPath = join(dir, LOCK_FILE);
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  const me = `${process.pid} ${processStartTime(process.pid)} ${hostname()}\n`;
  let delay = 2;
  // The lock content is written to a private file first and hard-linked into place: link(2) fails with
  // EEXIST atomically, and a lock file is never seen empty (a crash between open and write would
  // otherwise leave an ownerless lock nobody could prove stale).
  const mine = join(dir, `.lock.${process.pid}`);
  attempt("lock", dir, () => writeFileSync(mine, me, { mode: 0o600 }));
  try {
    for (;;) {
      try {
        linkSync(mine, lockPath);
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw fsError(e, "lock", dir);
      }
      let held = "";
      try {
        held = readFileSync(lockPath, "latin1");
      } catch {
        continue; // released between our open and read
      }
      if (held !== "" && !ownerAlive(held)) {
        tryBreakStale(lockPath, held);
        continue;
      }
      if (Date.now() > deadline) {
        throw new InputError(
          "LOCK_TIMEOUT",
          `the CA directory ${dir} is locked by process ${held.split(" ")[0]}`,
          {
            hint: `wait for it to finish; if no repl-pki process is running, remove ${lockPath}`,
          },
        );
      }
      sleep(delay);
      delay = Math.min(delay * 2, 50);
    }
  } finally {
    try {
      unlinkSync(mine);
    } catch {}
  }
  try {
    return fn();
  } finally {
    try {
      if (existsSync(lockPath) && readFileSync(lockPath, "latin1") === me) unlinkSync(lockPath);
    } catch {}
  }
}

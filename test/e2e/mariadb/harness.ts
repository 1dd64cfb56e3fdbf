// End-to-end harness for real MariaDB servers (mariadbd) started by the tests themselves.
//
// Every server gets its own temp datadir, port on 127.0.0.1, unix socket, pid file and option file, and is
// started with `--defaults-file=<our cnf>` so the system my.cnf is never read. Servers are tracked in a
// module-level registry and stopped by PID from `stopAllServers()` (wire it with `installMariadbCleanup()`
// or `afterAll(stopAllServers)`), from a process `exit` handler, and — on Linux — by the kernel through
// `setpriv --pdeathsig SIGKILL` if the test worker dies without running either. No mariadbd outlives the run.
//
// Missing binaries are an error, never a skip: `findMariadb()` throws
// "mariadbd not found: apt-get install -y mariadb-server".
//
// API
//   findMariadb()                      → { mariadbd, installDb, client, version }
//   installMariadbCleanup()            registers afterAll(stopAllServers) in the calling test file
//   createWorkDir(prefix)              temp dir removed by stopAllServers() (kept with REPL_PKI_E2E_KEEP=1)
//   startServer({ name, baseDir?, port?, serverId, extraCnf?, logBin?, startTimeoutMs? }) → MariadbServer
//     .pid .port .socket .datadir .cnfPath .errorLog .timings {installMs, startMs[]}
//     .sql(stmt) → string[][]            root over the unix socket, --batch --skip-column-names
//     .query(stmt) → Record<col,val>[]   same, with column names
//     .scalar(stmt) → string | undefined
//     .sqlFile(path, env?) → stdout
//     .tcpSql(stmt, { user, password, tls: { ca, cert, key, crl, crlpath, verifyServerCert } })
//     .stop() (SIGTERM by PID, SIGKILL after 30 s)  .restart()  .errorLogTail(n)  .errorLogSize()/.errorLogSince(mark)
//   stopAllServers()                   stops every server this process started, removes work dirs
//   slaveStatus(replica, conn?) / allSlavesStatus(replica)   SHOW [ALL] SLAVE[S] STATUS as key→value maps
//   waitForReplication(replica, predicate, timeoutMs, { connectionName? })   + ioRunning, anyIoError, ioErrno(n)
//   syncReplica(source, replica)       MASTER_GTID_WAIT(source @@gtid_binlog_pos)
//   changeMasterSql({...})             quoted CHANGE MASTER ['conn'] TO … (MASTER_CONNECT_RETRY=1 by default)
//   binlogDumpThreads(source, user?) / killBinlogDumpThreads(source, user?)
// SQL errors are SqlError { errno, sqlState } parsed from the client's "ERROR 2026 (HY000): …".

import { type ChildProcess, execFile, execFileSync, spawn } from "node:child_process";
import {
  accessSync,
  closeSync,
  constants,
  existsSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
} from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";

// ---------------------------------------------------------------------------------------------------------
// Binaries

export interface MariadbBinaries {
  /** The server, e.g. /usr/sbin/mariadbd. */
  mariadbd: string;
  /** mariadb-install-db (or mysql_install_db). */
  installDb: string;
  /** The command-line client, e.g. /usr/bin/mariadb. */
  client: string;
  /** `mariadbd --version` output, trimmed. */
  version: string;
}

export const MARIADB_MISSING_MESSAGE = "mariadbd not found: apt-get install -y mariadb-server";

const EXTRA_SEARCH_DIRS = [
  "/usr/sbin",
  "/usr/bin",
  "/usr/local/sbin",
  "/usr/local/bin",
  "/usr/local/mysql/bin",
  "/usr/local/mariadb/bin",
  "/opt/mariadb/bin",
];

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * First executable named one of `names` in `searchDirs`, or by default in MARIADB_BIN_DIR, PATH, then the
 * usual sbin/bin directories (Debian puts mariadbd in /usr/sbin, which is not on every PATH).
 */
export function findExecutable(names: readonly string[], searchDirs?: readonly string[]): string | undefined {
  const dirs = searchDirs ?? [
    ...(process.env["MARIADB_BIN_DIR"] ? [process.env["MARIADB_BIN_DIR"]] : []),
    ...(process.env["PATH"] ?? "").split(path.delimiter).filter((d) => d !== ""),
    ...EXTRA_SEARCH_DIRS,
  ];
  for (const name of names) {
    for (const dir of dirs) {
      const candidate = path.join(dir, name);
      if (isExecutable(candidate)) return candidate;
    }
  }
  return undefined;
}

let cachedBinaries: MariadbBinaries | undefined;

/**
 * Locates mariadbd, mariadb-install-db and the mariadb client. Throws (never skips) when one is missing.
 * Set MARIADB_BIN_DIR to prefer a non-system build; `searchDirs` replaces the search path (for tests).
 */
export function findMariadb(opts: { searchDirs?: readonly string[] } = {}): MariadbBinaries {
  if (cachedBinaries && !opts.searchDirs) return cachedBinaries;
  const dirs = opts.searchDirs;
  const mariadbd = findExecutable(["mariadbd"], dirs);
  if (!mariadbd) throw new Error(MARIADB_MISSING_MESSAGE);
  const installDb = findExecutable(["mariadb-install-db", "mysql_install_db"], dirs);
  if (!installDb) throw new Error(`mariadb-install-db not found (next to ${mariadbd}?): ${installHint()}`);
  const client = findExecutable(["mariadb", "mysql"], dirs);
  if (!client) throw new Error(`mariadb client not found: ${installHint()}`);
  let version: string;
  try {
    version = execFileSync(mariadbd, ["--version"], { encoding: "utf8", timeout: 30_000 }).trim();
  } catch (err) {
    throw new Error(`${mariadbd} --version failed: ${String(err)}`, { cause: err });
  }
  const found = { mariadbd, installDb, client, version };
  if (!dirs) cachedBinaries = found;
  return found;
}

function installHint(): string {
  return "apt-get install -y mariadb-server";
}

// ---------------------------------------------------------------------------------------------------------
// Small process helpers

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion without throwing on a non-zero exit; optional stdin text. */
export function run(
  file: string,
  args: readonly string[],
  opts: { input?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; cwd?: string } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      file,
      args,
      {
        encoding: "utf8",
        maxBuffer: 64 * 1024 * 1024,
        timeout: opts.timeoutMs ?? 60_000,
        killSignal: "SIGKILL",
        env: opts.env ? { ...process.env, ...opts.env } : process.env,
        cwd: opts.cwd,
      },
      (error, stdout, stderr) => {
        if (error && typeof (error as NodeJS.ErrnoException).code === "string") {
          // spawn failure (ENOENT, EACCES …), not a non-zero exit
          reject(error);
          return;
        }
        resolve({
          code: child.exitCode,
          signal: child.signalCode,
          stdout: String(stdout),
          stderr: String(stderr),
        });
      },
    );
    // The child may exit without reading stdin (e.g. a connect failure): ignore EPIPE on it.
    child.stdin?.on("error", () => undefined);
    if (opts.input !== undefined) child.stdin?.end(opts.input);
    else child.stdin?.end();
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `fn` until it returns a value other than undefined/false; rethrows nothing until the deadline. */
export async function waitFor<T>(
  fn: () => Promise<T | undefined | false> | T | undefined | false,
  opts: { timeoutMs: number; intervalMs?: number; describe: () => string | Promise<string> },
): Promise<T> {
  const deadline = Date.now() + opts.timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await fn();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const detail = await opts.describe();
      const last = lastError === undefined ? "" : `\nlast error: ${String(lastError)}`;
      throw new Error(`timed out after ${opts.timeoutMs} ms: ${detail}${last}`);
    }
    await sleep(opts.intervalMs ?? 100);
  }
}

/** A free TCP port on 127.0.0.1 (bind to port 0, read it back, close). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => {
        if (addr && typeof addr === "object") resolve(addr.port);
        else reject(new Error("could not determine a free port"));
      });
    });
  });
}

// ---------------------------------------------------------------------------------------------------------
// Registry and cleanup

const running = new Set<MariadbServer>();
const tempDirs = new Set<string>();
let exitHandlersInstalled = false;

/** Set REPL_PKI_E2E_KEEP=1 to keep datadirs, logs and certificates after the run for inspection. */
export const keepTempFiles = (): boolean => process.env["REPL_PKI_E2E_KEEP"] === "1";

/** A fresh directory under the OS temp dir, removed by stopAllServers() unless REPL_PKI_E2E_KEEP=1. */
export async function createWorkDir(prefix = "repl-pki-e2e-"): Promise<string> {
  installExitHandlers();
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
}

/** PIDs of servers this process started and has not seen exit. */
export function runningServerPids(): number[] {
  const pids: number[] = [];
  for (const s of running) if (s.pid !== undefined) pids.push(s.pid);
  return pids;
}

/** Stops every server this process started (SIGTERM, then SIGKILL) and removes the work dirs. */
export async function stopAllServers(): Promise<void> {
  const errors: unknown[] = [];
  await Promise.all(
    [...running].map((s) =>
      s.stop().catch((err: unknown) => {
        errors.push(err);
      }),
    ),
  );
  if (!keepTempFiles()) {
    for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
    tempDirs.clear();
  }
  if (errors.length > 0) throw new AggregateError(errors, "stopping MariaDB servers failed");
}

function killAllSync(): void {
  for (const s of running) {
    const pid = s.pid;
    if (pid === undefined) continue;
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}

function installExitHandlers(): void {
  if (exitHandlersInstalled) return;
  exitHandlersInstalled = true;
  process.on("exit", killAllSync);
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    const handler = (): void => {
      killAllSync();
      process.removeListener(sig, handler);
      // Re-raise with the default disposition only if nobody else handles the signal.
      if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
    };
    process.on(sig, handler);
  }
}

/**
 * Registers `afterAll(stopAllServers)` in the calling test file. Call it at the top level of a describe
 * (or the file). The exit handler and pdeathsig cover crashes; this covers the normal path.
 */
export async function installMariadbCleanup(): Promise<void> {
  const { afterAll } = await import("vitest");
  installExitHandlers();
  afterAll(stopAllServers, 120_000);
}

// ---------------------------------------------------------------------------------------------------------
// SQL results and errors

/** An error from the mariadb client: `ERROR 2026 (HY000) at line 1: …` parsed into errno/sqlState. */
export class SqlError extends Error {
  constructor(
    message: string,
    readonly errno: number | undefined,
    readonly sqlState: string | undefined,
    readonly statement: string,
    readonly stderr: string,
  ) {
    super(message);
    this.name = "SqlError";
  }
}

function parseClientError(stderr: string, statement: string, server: string): SqlError {
  const m = /ERROR (\d+) \(([0-9A-Z]{5})\)(?: at line \d+)?: ([\s\S]*)/.exec(stderr);
  const short = statement.length > 300 ? `${statement.slice(0, 300)}…` : statement;
  if (m) {
    const errno = Number(m[1]);
    const text = (m[3] ?? "").trim();
    return new SqlError(
      `[${server}] ERROR ${errno} (${m[2]}): ${text}\n  in: ${short}`,
      errno,
      m[2],
      statement,
      stderr,
    );
  }
  return new SqlError(
    `[${server}] mariadb client failed: ${stderr.trim()}\n  in: ${short}`,
    undefined,
    undefined,
    statement,
    stderr,
  );
}

/** Undoes the client's --batch escaping (\0 \t \n \\). NULL comes out as the string "NULL". */
export function unescapeBatchField(field: string): string {
  return field.replace(/\\([0tn\\])/g, (_m, c: string) =>
    c === "0" ? "\0" : c === "t" ? "\t" : c === "n" ? "\n" : "\\",
  );
}

/** Parses `mariadb --batch` output into rows of fields. */
export function parseBatchOutput(stdout: string): string[][] {
  const text = stdout.endsWith("\n") ? stdout.slice(0, -1) : stdout;
  if (text === "") return [];
  return text.split("\n").map((line) => line.split("\t").map(unescapeBatchField));
}

/** Parses `\G` (vertical) output of one or more rows into key→value maps. */
export function parseVerticalOutput(stdout: string): Record<string, string>[] {
  const rows: Record<string, string>[] = [];
  let current: Record<string, string> | undefined;
  for (const line of stdout.split("\n")) {
    if (/^\*+ \d+\. row \*+$/.test(line.trim())) {
      current = {};
      rows.push(current);
      continue;
    }
    const m = /^\s*([^:]+?):(?: (.*))?$/.exec(line);
    if (m && current) current[m[1] ?? ""] = m[2] ?? "";
  }
  return rows;
}

/** Quotes a string as an SQL literal ('…' with backslash and quote escaped). */
export function sqlString(value: string): string {
  return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'").replace(/\0/g, "\\0")}'`;
}

// ---------------------------------------------------------------------------------------------------------
// Servers

export interface StartServerOptions {
  /** Used for directory names and messages; [a-zA-Z0-9_-]. */
  name: string;
  /** Parent directory; the server lives in `<baseDir>/<name>/`. Defaults to a fresh createWorkDir(). */
  baseDir?: string;
  /** TCP port on 127.0.0.1; a free one is picked (and re-picked on a bind race) when omitted. */
  port?: number;
  serverId: number;
  /** Extra lines appended to [mysqld] (later lines win), e.g. ssl_ca=…, ssl_cert=…, ssl_key=…, ssl_crl=… */
  extraCnf?: string;
  /** log-bin (with log-basename=<name>); default false (skip-log-bin). */
  logBin?: boolean;
  /** Readiness timeout for each start; default 60 s (generous for a loaded 2-core CI box). */
  startTimeoutMs?: number;
}

export interface ServerTimings {
  installMs: number;
  /** Spawn → first successful `SELECT 1` over the socket, for each start (first entry = initial start). */
  startMs: number[];
}

export interface ClientTlsOptions {
  ca?: string;
  cert?: string;
  key?: string;
  crl?: string;
  crlpath?: string;
  verifyServerCert?: boolean;
}

export interface TcpClientOptions {
  user: string;
  password?: string;
  /** Default 127.0.0.1. */
  host?: string;
  tls?: ClientTlsOptions;
  database?: string;
}

export class MariadbServer {
  readonly name: string;
  readonly dir: string;
  readonly datadir: string;
  readonly cnfPath: string;
  readonly errorLog: string;
  readonly stdoutLog: string;
  readonly pidFile: string;
  readonly socket: string;
  readonly serverId: number;
  readonly timings: ServerTimings = { installMs: 0, startMs: [] };
  port: number;

  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private readonly bins: MariadbBinaries;
  private readonly cnfBody: () => string;
  private readonly startTimeoutMs: number;

  /** @internal use startServer() */
  constructor(init: {
    name: string;
    dir: string;
    socket: string;
    port: number;
    serverId: number;
    bins: MariadbBinaries;
    cnfBody: (s: MariadbServer) => string;
    startTimeoutMs: number;
  }) {
    this.name = init.name;
    this.dir = init.dir;
    this.datadir = path.join(init.dir, "data");
    this.cnfPath = path.join(init.dir, "my.cnf");
    this.errorLog = path.join(init.dir, "error.log");
    this.stdoutLog = path.join(init.dir, "mariadbd.out");
    this.pidFile = path.join(init.dir, "mariadbd.pid");
    this.socket = init.socket;
    this.port = init.port;
    this.serverId = init.serverId;
    this.bins = init.bins;
    this.cnfBody = () => init.cnfBody(this);
    this.startTimeoutMs = init.startTimeoutMs;
  }

  /** PID of the running mariadbd, undefined when stopped. */
  get pid(): number | undefined {
    return this.child && this.child.exitCode === null && this.child.signalCode === null
      ? this.child.pid
      : undefined;
  }

  get isRunning(): boolean {
    return this.pid !== undefined;
  }

  /** Last `lines` lines of the error log (empty string if none yet). */
  errorLogTail(lines = 40): string {
    let text = "";
    for (const f of [this.errorLog, this.stdoutLog]) {
      if (!existsSync(f)) continue;
      const body = readFileSync(f, "utf8").trimEnd();
      if (body === "") continue;
      const tail = body.split("\n").slice(-lines).join("\n");
      text += `${text ? "\n" : ""}--- ${path.basename(f)} (${this.name}) ---\n${tail}`;
    }
    return text;
  }

  /** Error-log text written since `sinceBytes` (take a mark with errorLogSize() before the action). */
  errorLogSince(sinceBytes: number): string {
    if (!existsSync(this.errorLog)) return "";
    return readFileSync(this.errorLog).subarray(sinceBytes).toString("utf8");
  }

  /** Current size of the error log in bytes, a mark for errorLogSince(). */
  errorLogSize(): number {
    return existsSync(this.errorLog) ? statSync(this.errorLog).size : 0;
  }

  async writeCnf(): Promise<void> {
    await writeFile(this.cnfPath, this.cnfBody());
  }

  /** @internal spawns mariadbd and waits until the socket answers. */
  async start(): Promise<void> {
    if (this.isRunning) throw new Error(`[${this.name}] already running (pid ${this.pid})`);
    await this.writeCnf();
    const t0 = performance.now();
    const out = openSync(this.stdoutLog, "a");
    const args = [`--defaults-file=${this.cnfPath}`];
    const setpriv = process.platform === "linux" ? findExecutable(["setpriv"]) : undefined;
    let child: ChildProcess;
    try {
      child = setpriv
        ? spawn(setpriv, ["--pdeathsig", "SIGKILL", "--", this.bins.mariadbd, ...args], {
            stdio: ["ignore", out, out],
          })
        : spawn(this.bins.mariadbd, args, { stdio: ["ignore", out, out] });
    } finally {
      closeSync(out);
    }
    this.child = child;
    running.add(this);
    let spawnError: Error | undefined;
    this.exited = new Promise<void>((resolve) => {
      const done = (): void => {
        running.delete(this);
        resolve();
      };
      if (child.exitCode !== null || child.signalCode !== null) done();
      else {
        child.once("exit", done);
        // spawn failures (ENOENT, EACCES) emit "error" and possibly no "exit"
        child.once("error", (err) => {
          spawnError = err;
          done();
        });
      }
    });

    const deadline = Date.now() + this.startTimeoutMs;
    for (;;) {
      if (!this.isRunning) {
        await this.exited;
        const why = spawnError
          ? `could not be spawned: ${spawnError.message}`
          : `exited during startup (code ${child.exitCode}, signal ${child.signalCode})`;
        throw new ServerStartError(
          `[${this.name}] mariadbd ${why}\n${this.errorLogTail()}`,
          this.errorLogTail(),
        );
      }
      const r = await run(this.bins.client, [...this.socketArgs(), "--batch", "-e", "SELECT 1"], {
        timeoutMs: 10_000,
      });
      if (r.code === 0) break;
      if (Date.now() > deadline) {
        await this.stop().catch(() => undefined);
        throw new ServerStartError(
          `[${this.name}] mariadbd not ready after ${this.startTimeoutMs} ms (last client error: ${r.stderr.trim()})\n${this.errorLogTail()}`,
          this.errorLogTail(),
        );
      }
      await sleep(50);
    }
    this.timings.startMs.push(Math.round(performance.now() - t0));
  }

  /** SIGTERM by PID, wait up to `timeoutMs`, then SIGKILL. No-op when not running. */
  async stop(timeoutMs = 30_000): Promise<void> {
    const child = this.child;
    const pid = this.pid;
    if (!child || pid === undefined) {
      await this.exited;
      return;
    }
    try {
      process.kill(pid, "SIGTERM");
    } catch {
      // already gone
    }
    const timedOut = await Promise.race([this.exited.then(() => false), sleep(timeoutMs).then(() => true)]);
    if (timedOut) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // already gone
      }
      await this.exited;
    }
  }

  /** Stops and starts the server on the same datadir, port and option file (re-written from options). */
  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** Client args for root over the unix socket; --no-defaults must come first. */
  socketArgs(): string[] {
    return ["--no-defaults", `--socket=${this.socket}`, "--user=root", "--connect-timeout=10"];
  }

  /** Runs one or more statements as root over the socket; returns the rows of the last result set. */
  async sql(statement: string, opts: { timeoutMs?: number } = {}): Promise<string[][]> {
    const r = await run(
      this.bins.client,
      [...this.socketArgs(), "--batch", "--skip-column-names", "-e", statement],
      {
        timeoutMs: opts.timeoutMs ?? 60_000,
      },
    );
    if (r.code !== 0) throw parseClientError(r.stderr, statement, this.name);
    return parseBatchOutput(r.stdout);
  }

  /** Like sql(), but rows come back as column→value objects (column names from the header line). */
  async query(statement: string, opts: { timeoutMs?: number } = {}): Promise<Record<string, string>[]> {
    const r = await run(this.bins.client, [...this.socketArgs(), "--batch", "-e", statement], {
      timeoutMs: opts.timeoutMs ?? 60_000,
    });
    if (r.code !== 0) throw parseClientError(r.stderr, statement, this.name);
    const [header, ...rows] = parseBatchOutput(r.stdout);
    if (!header) return [];
    return rows.map((row) => Object.fromEntries(header.map((col, i) => [col, row[i] ?? ""])));
  }

  /** First column of the first row, or undefined. */
  async scalar(statement: string): Promise<string | undefined> {
    return (await this.sql(statement))[0]?.[0];
  }

  /** Feeds an SQL file to the client as root over the socket; returns stdout. `env` is added to the client's. */
  async sqlFile(file: string, env?: NodeJS.ProcessEnv, opts: { timeoutMs?: number } = {}): Promise<string> {
    const input = await readFile(file, "utf8");
    const r = await run(this.bins.client, [...this.socketArgs(), "--batch"], {
      input,
      env,
      timeoutMs: opts.timeoutMs ?? 120_000,
    });
    if (r.code !== 0) throw parseClientError(r.stderr, `source ${file}`, this.name);
    return r.stdout;
  }

  /**
   * Runs a statement as another account over TCP (optionally TLS), the way a remote client would.
   * Throws SqlError (errno 2026 for TLS failures, 1045 for access denied …).
   */
  async tcpSql(statement: string, opts: TcpClientOptions): Promise<string[][]> {
    const args = [
      "--no-defaults",
      "--protocol=TCP",
      `--host=${opts.host ?? "127.0.0.1"}`,
      `--port=${this.port}`,
      `--user=${opts.user}`,
      "--connect-timeout=10",
      "--batch",
      "--skip-column-names",
    ];
    if (opts.password !== undefined) args.push(`--password=${opts.password}`);
    const tls = opts.tls;
    if (tls) {
      args.push("--ssl");
      if (tls.ca) args.push(`--ssl-ca=${tls.ca}`);
      if (tls.cert) args.push(`--ssl-cert=${tls.cert}`);
      if (tls.key) args.push(`--ssl-key=${tls.key}`);
      if (tls.crl) args.push(`--ssl-crl=${tls.crl}`);
      if (tls.crlpath) args.push(`--ssl-crlpath=${tls.crlpath}`);
      args.push(tls.verifyServerCert ? "--ssl-verify-server-cert" : "--skip-ssl-verify-server-cert");
    } else {
      args.push("--skip-ssl");
    }
    if (opts.database) args.push(opts.database);
    args.push("-e", statement);
    const r = await run(this.bins.client, args, { timeoutMs: 60_000 });
    if (r.code !== 0) throw parseClientError(r.stderr, statement, `${this.name} via tcp as ${opts.user}`);
    return parseBatchOutput(r.stdout);
  }
}

export class ServerStartError extends Error {
  constructor(
    message: string,
    readonly errorLogTail: string,
  ) {
    super(message);
    this.name = "ServerStartError";
  }
}

const UNIX_SOCKET_MAX = 100; // sun_path is 108 bytes on Linux; keep a margin

function defaultCnf(s: MariadbServer, logBin: boolean, extraCnf: string): string {
  const lines = [
    "# written by test/e2e/mariadb/harness.ts; started with --defaults-file so no other option file is read",
    "[mysqld]",
    // log-basename must come first: it re-derives log-error, pid-file, log-bin and relay-log names for
    // every such option that precedes it.
    `log-basename=${s.name}`,
    ...(process.getuid?.() === 0 ? ["user=root"] : []),
    `datadir=${s.datadir}`,
    `socket=${s.socket}`,
    `pid-file=${s.pidFile}`,
    `log-error=${s.errorLog}`,
    `tmpdir=${path.join(s.dir, "tmp")}`,
    `port=${s.port}`,
    "bind-address=127.0.0.1",
    "skip-name-resolve",
    `server-id=${s.serverId}`,
    ...(logBin ? [`log-bin=${s.name}-bin`, "binlog_format=ROW"] : ["skip-log-bin"]),
    `relay-log=${s.name}-relay-bin`,
    // small and fast: a 2-core CI box runs several of these at once
    "innodb_buffer_pool_size=32M",
    "innodb_flush_log_at_trx_commit=2",
    "sync_binlog=0",
    "performance_schema=OFF",
    "max_connections=64",
    "skip-external-locking",
    "",
    "# extraCnf",
    extraCnf.trimEnd(),
    "",
  ];
  return lines.join("\n");
}

/** Creates a datadir with mariadb-install-db and starts mariadbd on it. Registers it for global cleanup. */
export async function startServer(opts: StartServerOptions): Promise<MariadbServer> {
  const bins = findMariadb();
  installExitHandlers();
  if (!/^[A-Za-z0-9_-]+$/.test(opts.name))
    throw new Error(`server name must be [A-Za-z0-9_-]+: ${opts.name}`);
  const baseDir = opts.baseDir ?? (await createWorkDir());
  const dir = path.join(baseDir, opts.name);
  await mkdir(path.join(dir, "tmp"), { recursive: true });
  let socket = path.join(dir, "mariadbd.sock");
  if (Buffer.byteLength(socket) > UNIX_SOCKET_MAX) {
    socket = path.join(await createWorkDir("mdb-sock-"), "mariadbd.sock");
  }

  const pickedPort = opts.port === undefined;
  const server = new MariadbServer({
    name: opts.name,
    dir,
    socket,
    port: opts.port ?? (await freePort()),
    serverId: opts.serverId,
    bins,
    cnfBody: (s) => defaultCnf(s, opts.logBin ?? false, opts.extraCnf ?? ""),
    startTimeoutMs: opts.startTimeoutMs ?? 60_000,
  });

  const t0 = performance.now();
  const installArgs = [
    "--no-defaults",
    `--datadir=${server.datadir}`,
    "--auth-root-authentication-method=normal",
    "--skip-test-db",
    "--skip-name-resolve",
    ...(process.getuid?.() === 0 ? ["--user=root"] : []),
    // passed through to the bootstrap mariadbd: concurrent bootstraps sharing /tmp have been seen to fail
    // with "Could not remove temporary table … ERROR: 1051 Unknown table 'mysql.tmp_user_sys'"
    `--tmpdir=${path.join(dir, "tmp")}`,
  ];
  for (let attempt = 1; ; attempt++) {
    const inst = await run(bins.installDb, installArgs, { timeoutMs: 180_000 });
    if (inst.code === 0) break;
    if (attempt >= 2) {
      throw new Error(
        `[${opts.name}] ${bins.installDb} ${installArgs.join(" ")} failed (code ${inst.code}):\n${inst.stdout}\n${inst.stderr}`,
      );
    }
    await rm(server.datadir, { recursive: true, force: true });
  }
  server.timings.installMs = Math.round(performance.now() - t0);

  for (let attempt = 1; ; attempt++) {
    try {
      await server.start();
      return server;
    } catch (err) {
      const bindRace =
        err instanceof ServerStartError &&
        /Bind on TCP\/IP port|Address already in use/.test(err.errorLogTail);
      if (!pickedPort || !bindRace || attempt >= 5) throw err;
      server.port = await freePort();
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Replication helpers

export type SlaveStatus = Record<string, string>;

/** `SHOW SLAVE ['conn'] STATUS` as a key→value map; {} when no such replication connection exists. */
export async function slaveStatus(replica: MariadbServer, connectionName?: string): Promise<SlaveStatus> {
  const stmt = connectionName ? `SHOW SLAVE ${sqlString(connectionName)} STATUS` : "SHOW SLAVE STATUS";
  try {
    return (await replica.query(stmt))[0] ?? {};
  } catch (err) {
    // 1617 ER_MASTER_INFO: "There is no master connection 'x'"
    if (err instanceof SqlError && err.errno === 1617) return {};
    throw err;
  }
}

/** `SHOW ALL SLAVES STATUS`: one map per replication connection (multi-source), keyed by Connection_name. */
export async function allSlavesStatus(replica: MariadbServer): Promise<Map<string, SlaveStatus>> {
  const rows = await replica.query("SHOW ALL SLAVES STATUS");
  return new Map(rows.map((r) => [r["Connection_name"] ?? "", r]));
}

/** The fields that matter when a wait fails. */
export function summarizeSlaveStatus(s: SlaveStatus): string {
  const keys = [
    "Connection_name",
    "Slave_IO_State",
    "Master_Host",
    "Master_Port",
    "Slave_IO_Running",
    "Slave_SQL_Running",
    "Master_SSL_Allowed",
    "Master_SSL_Verify_Server_Cert",
    "Last_IO_Errno",
    "Last_IO_Error",
    "Last_SQL_Errno",
    "Last_SQL_Error",
    "Gtid_IO_Pos",
  ];
  if (Object.keys(s).length === 0) return "(no replication connection)";
  return keys
    .filter((k) => k in s)
    .map((k) => `${k}=${s[k]}`)
    .join(", ");
}

/**
 * Polls SHOW SLAVE STATUS until `predicate` holds; returns that status. On timeout the error carries the
 * last status and the replica's error-log tail.
 */
export async function waitForReplication(
  replica: MariadbServer,
  predicate: (s: SlaveStatus) => boolean,
  timeoutMs = 30_000,
  opts: { connectionName?: string; intervalMs?: number; what?: string } = {},
): Promise<SlaveStatus> {
  let last: SlaveStatus = {};
  return waitFor(
    async () => {
      last = await slaveStatus(replica, opts.connectionName);
      return predicate(last) ? last : undefined;
    },
    {
      timeoutMs,
      intervalMs: opts.intervalMs ?? 100,
      describe: () =>
        `[${replica.name}] waiting for ${opts.what ?? "replication condition"}; last status: ${summarizeSlaveStatus(last)}\n${replica.errorLogTail(20)}`,
    },
  );
}

export const ioRunning = (s: SlaveStatus): boolean =>
  s["Slave_IO_Running"] === "Yes" && s["Slave_SQL_Running"] === "Yes";
export const ioErrno =
  (errno: number) =>
  (s: SlaveStatus): boolean =>
    s["Last_IO_Errno"] === String(errno);
export const anyIoError = (s: SlaveStatus): boolean =>
  s["Last_IO_Errno"] !== undefined && s["Last_IO_Errno"] !== "0";

/**
 * Waits until the replica has applied everything the source has binlogged so far (GTID based:
 * MASTER_GTID_WAIT(source's @@gtid_binlog_pos)). Throws with both sides' state on timeout.
 */
export async function syncReplica(
  source: MariadbServer,
  replica: MariadbServer,
  timeoutMs = 30_000,
): Promise<void> {
  const pos = (await source.scalar("SELECT @@GLOBAL.gtid_binlog_pos")) ?? "";
  if (pos === "") return;
  const seconds = Math.max(1, Math.ceil(timeoutMs / 1000));
  const r = await replica.scalar(`SELECT MASTER_GTID_WAIT(${sqlString(pos)}, ${seconds})`);
  if (r !== "0") {
    const st = await slaveStatus(replica).catch(() => ({}));
    throw new Error(
      `[${replica.name}] did not reach source ${source.name} gtid_binlog_pos ${pos} within ${timeoutMs} ms; ` +
        `status: ${summarizeSlaveStatus(st)}\n${replica.errorLogTail(20)}`,
    );
  }
}

export interface ChangeMasterOptions {
  host?: string;
  port: number;
  user: string;
  password: string;
  ssl?: boolean;
  sslCa?: string;
  sslCapath?: string;
  sslCert?: string;
  sslKey?: string;
  sslCrl?: string;
  sslCrlpath?: string;
  verifyServerCert?: boolean;
  /** Seconds between reconnect attempts; default 1 so tests observe retries quickly (server default 60). */
  connectRetry?: number;
  /** MariaDB multi-source connection name. */
  connectionName?: string;
  useGtid?: "slave_pos" | "current_pos" | "no";
}

/** Renders a MariaDB `CHANGE MASTER ['conn'] TO …` statement with properly quoted values. */
export function changeMasterSql(o: ChangeMasterOptions): string {
  const parts = [
    `MASTER_HOST=${sqlString(o.host ?? "127.0.0.1")}`,
    `MASTER_PORT=${o.port}`,
    `MASTER_USER=${sqlString(o.user)}`,
    `MASTER_PASSWORD=${sqlString(o.password)}`,
    `MASTER_CONNECT_RETRY=${o.connectRetry ?? 1}`,
  ];
  if (o.ssl !== undefined) parts.push(`MASTER_SSL=${o.ssl ? 1 : 0}`);
  if (o.sslCa !== undefined) parts.push(`MASTER_SSL_CA=${sqlString(o.sslCa)}`);
  if (o.sslCapath !== undefined) parts.push(`MASTER_SSL_CAPATH=${sqlString(o.sslCapath)}`);
  if (o.sslCert !== undefined) parts.push(`MASTER_SSL_CERT=${sqlString(o.sslCert)}`);
  if (o.sslKey !== undefined) parts.push(`MASTER_SSL_KEY=${sqlString(o.sslKey)}`);
  if (o.sslCrl !== undefined) parts.push(`MASTER_SSL_CRL=${sqlString(o.sslCrl)}`);
  if (o.sslCrlpath !== undefined) parts.push(`MASTER_SSL_CRLPATH=${sqlString(o.sslCrlpath)}`);
  if (o.verifyServerCert !== undefined)
    parts.push(`MASTER_SSL_VERIFY_SERVER_CERT=${o.verifyServerCert ? 1 : 0}`);
  if (o.useGtid !== undefined) parts.push(`MASTER_USE_GTID=${o.useGtid}`);
  const conn = o.connectionName ? ` ${sqlString(o.connectionName)}` : "";
  return `CHANGE MASTER${conn} TO ${parts.join(", ")}`;
}

/** Processlist rows of the source's `Binlog Dump` threads (one per connected replica). */
export async function binlogDumpThreads(
  source: MariadbServer,
  user?: string,
): Promise<{ id: string; user: string; host: string; state: string }[]> {
  const where = user === undefined ? "" : ` AND USER=${sqlString(user)}`;
  const rows = await source.sql(
    `SELECT ID, USER, HOST, STATE FROM information_schema.PROCESSLIST WHERE COMMAND='Binlog Dump'${where}`,
  );
  return rows.map(([id = "", u = "", host = "", state = ""]) => ({ id, user: u, host, state }));
}

/** KILLs the source's Binlog Dump threads (optionally only `user`'s); returns the killed thread ids. */
export async function killBinlogDumpThreads(source: MariadbServer, user?: string): Promise<string[]> {
  const threads = await binlogDumpThreads(source, user);
  for (const t of threads) {
    await source.sql(`KILL CONNECTION ${Number(t.id)}`).catch((err: unknown) => {
      // 1094 ER_NO_SUCH_THREAD: it ended on its own in between
      if (!(err instanceof SqlError && err.errno === 1094)) throw err;
    });
  }
  return threads.map((t) => t.id);
}

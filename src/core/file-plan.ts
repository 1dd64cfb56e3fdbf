// Commands compute the list of files they would write, then one materialiser writes them (model:
// cfssl cfssljson's output list). --dry-run prints the same plan instead.

export interface PlannedFile {
  /** Path relative to the plan's base directory, '/'-separated. */
  path: string;
  contents: string | Buffer;
  /** 0o600 for private keys, 0o644 otherwise. */
  mode: number;
}

export type FilePlan = PlannedFile[];

export const secretFile = (path: string, contents: string | Buffer): PlannedFile => ({
  path,
  contents,
  mode: 0o600,
});
export const publicFile = (path: string, contents: string | Buffer): PlannedFile => ({
  path,
  contents,
  mode: 0o644,
});

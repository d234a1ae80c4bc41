import type { Stats } from 'node:fs';
import type { FsRead } from '@looptape/recording';
import type { Session } from '../session.js';
import type { FileCall } from './ops.js';

/** What a file operation gave the program, as its fs event says it (fs.write's fields are a subset). */
export type FileOutcome = Pick<FsRead, 'size' | 'hash' | 'stored' | 'value' | 'error' | 'done'>;

/** A seq taken when the program made the call: file events stand in call order, whenever the work ends. */
export type FileSlot = ReturnType<Session['reserve']>;

/** Records the call's fs.read or fs.write event at the seq it took when it was made. */
export function fileEvent(session: Session, slot: FileSlot, call: FileCall, outcome: FileOutcome): void {
  const common = { ...slot, process: 0, op: call.spec.op as never, api: call.api, path: call.shown, site: call.site };
  const stored = outcome.stored === 'content' ? undefined : outcome.stored;
  const { size, hash, error, done } = outcome;
  if (call.spec.kind === 'read') session.emitReserved({ kind: 'fs.read', ...common, size, hash, stored, value: outcome.value, error, done });
  else session.emitReserved({ kind: 'fs.write', ...common, to: call.toShown, size, hash, stored, error, done });
}

/** The error code a failed operation gave (ENOENT, EACCES…), as it is recorded and replayed. */
export function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException)?.code ?? 'EIO';
}

const STAT_FIELDS = ['dev', 'mode', 'nlink', 'uid', 'gid', 'rdev', 'blksize', 'ino', 'size', 'blocks', 'atimeMs', 'mtimeMs', 'ctimeMs', 'birthtimeMs'] as const;
export type StatValue = Record<(typeof STAT_FIELDS)[number], number>;

export function statValue(stats: Stats): StatValue {
  const out = {} as StatValue;
  for (const key of STAT_FIELDS) out[key] = Number(stats[key]);
  return out;
}

/** A directory listing as recorded: names, or `[name, type]` pairs with `withFileTypes` (type: f, d, l or o). */
export function listingValue(entries: unknown[]): Array<string | [string, string]> {
  return entries.map((e) => {
    if (typeof e === 'string' || Buffer.isBuffer(e)) return String(e);
    const d = e as { name: string; isFile(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean };
    return [d.name, d.isFile() ? 'f' : d.isDirectory() ? 'd' : d.isSymbolicLink() ? 'l' : 'o'];
  });
}

import type { Canonical } from '../canonical.js';

/** The bytes written, by hash: the recording's, and this replay's. */
export interface FileBytes {
  recorded(hash: string | undefined): Buffer | undefined;
  live(hash: string | undefined): Buffer | undefined;
}

/**
 * Two writes to one file that wrote other bytes: the file and the first byte where they part,
 * with the bytes around it as text where they are printable.
 */
export function fileDifference(expected: Canonical, actual: Canonical, files: FileBytes): string | undefined {
  if (expected.kind !== 'fs.write' || actual.kind !== 'fs.write' || expected.file?.path !== actual.file?.path) return undefined;
  const file = actual.file!.path;
  const was = files.recorded(expected.file!.hash);
  const now = files.live(actual.file!.hash);
  if (!was || !now) return `the program wrote other bytes to ${file} than when recorded`;
  let i = 0;
  while (i < was.length && i < now.length && was[i] === now[i]) i++;
  return `the program wrote other bytes to ${file} than when recorded: first difference at byte ${i}: recorded ${shown(was, i)}, replayed ${shown(now, i)}`;
}

/** The bytes around an offset: quoted text when printable, hex otherwise. */
function shown(data: Buffer, at: number): string {
  if (at >= data.length) return `the end of the file (${data.length} bytes)`;
  const from = Math.max(0, at - 20);
  const part = data.subarray(from, at + 30);
  const text = part.toString('utf8');
  const printable = !/[\u0000-\u0008\u000e-\u001f\ufffd]/.test(text);
  const body = printable ? JSON.stringify(text) : part.toString('hex');
  return `${from > 0 ? '…' : ''}${body}${at + 30 < data.length ? '…' : ''}`;
}

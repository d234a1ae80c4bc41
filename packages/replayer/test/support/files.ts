// What the hermetic-replay tests check of a folder: every file's sha256 and mtime, by name.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export type Snapshot = Record<string, { sha256: string; mtimeMs: number }>;

/** Every file under `dir` (recursively), with its sha256 and mtime. */
export function snapshot(dir: string): Snapshot {
  const out: Snapshot = {};
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    out[path.relative(dir, file)] = { sha256: createHash('sha256').update(fs.readFileSync(file)).digest('hex'), mtimeMs: fs.statSync(file).mtimeMs };
  }
  return out;
}

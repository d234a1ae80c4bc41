import fs from 'node:fs';
import Database from 'better-sqlite3';
import { RecordingError } from './errors.js';
import { FORMAT_VERSION, MIGRATIONS } from './schema.js';

const SQLITE_MAGIC = 'SQLite format 3\0';

/** What a path must be before SQLite is asked to open it: a readable regular file that starts like SQLite. */
export function checkFile(path: string): void {
  const stat = fs.statSync(path, { throwIfNoEntry: false });
  if (!stat) throw new RecordingError('NOT_FOUND', `${path}: no such file`, 'looptape ls lists the recordings in recordings/');
  if (stat.isDirectory()) throw new RecordingError('NOT_A_FILE', `${path} is a directory, not a recording`, 'give the path of a .tape file; looptape ls DIR lists the ones in a folder');
  if (!stat.isFile()) throw new RecordingError('NOT_A_FILE', `${path} is not a regular file (a device, a pipe or a socket)`, 'give the path of a .tape file');
  if (stat.size === 0) throw new RecordingError('NOT_SQLITE', `${path} is empty, not a recording`, 'a recording is never empty: was it cut when it was copied?');
  let fd: number;
  try {
    fd = fs.openSync(path, 'r');
  } catch (error) {
    throw new RecordingError('NOT_FOUND', `${path} cannot be read (${(error as NodeJS.ErrnoException).code})`, 'check its permissions');
  }
  try {
    const head = Buffer.alloc(16);
    const n = fs.readSync(fd, head, 0, 16, 0);
    if (n < 16 || head.toString('latin1') !== SQLITE_MAGIC) throw new RecordingError('NOT_SQLITE', `${path} is not a looptape recording (not a SQLite file)`, 'recordings are the .tape files looptape record writes');
  } finally {
    fs.closeSync(fd);
  }
}

/** Brings an older recording up to this format in memory: the file on disk is never changed. */
export function migrate(path: string, db: Database.Database, from: number): Database.Database {
  const memory = new Database(db.serialize());
  db.close();
  for (let v = from; v < FORMAT_VERSION; v++) {
    const step = MIGRATIONS[v];
    if (!step) throw new RecordingError('BAD_RECORDING', `${path} is recording format ${v}, which this looptape cannot migrate`);
    step(memory);
  }
  return memory;
}

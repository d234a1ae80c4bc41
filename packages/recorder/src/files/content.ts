import { createHash } from 'node:crypto';
import path from 'node:path';
import type { FileContent, FileStored } from '@looptape/recording';
import type { Redactor } from '../redact.js';
import type { Session } from '../session.js';
import type { FileOutcome } from './events.js';

/** The default of `--max-file-bytes`: file contents kept per recording, past which only hashes are. */
export const DEFAULT_MAX_FILE_BYTES = 64 * 1024 * 1024;

/** Files that hold secrets by their name: kept with placeholders for their values, never as they are. */
const SECRET_FILE = /^(\.env(\..+)?|.+\.(pem|key|p12|pfx)|id_(?!.*\.pub$).+|\.npmrc|\.netrc|\.pgpass)$/i;

export function isSecretFile(file: string): boolean {
  return SECRET_FILE.test(path.basename(file));
}

export function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export interface FileContentsOptions {
  maxBytes: number;
  /** Tells the user once, on stderr, when the limit is reached. */
  warn: (line: string) => void;
}

/**
 * The contents the program read and wrote, kept once per distinct content (by sha256) within
 * the recording's byte budget; secret files kept as placeholders (see Redactor.secretFile).
 */
export class FileContents {
  private kept = 0;
  private readonly storedAs = new Map<string, FileStored>();
  private warned = false;

  constructor(private readonly session: Session, private readonly redactor: Redactor, private readonly options: FileContentsOptions) {}

  keep(shown: string, data: Buffer): FileOutcome {
    const hash = sha256(data);
    const size = data.byteLength;
    const known = this.storedAs.get(hash);
    if (known) return { size, hash, stored: known };
    const content = this.prepare(shown, hash, data);
    this.storedAs.set(hash, content.stored);
    this.session.keepFile(content);
    return { size, hash, stored: content.stored };
  }

  private prepare(shown: string, hash: string, data: Buffer): FileContent {
    const size = data.byteLength;
    if (isSecretFile(shown)) return { hash, size, stored: 'redacted', data: Buffer.from(this.redactor.secretFile(shown, data.toString('utf8'))) };
    if (this.kept + size > this.options.maxBytes) {
      if (!this.warned) this.options.warn(`looptape: file contents reached --max-file-bytes (${this.options.maxBytes} bytes) at ${shown}: from there on only their hashes are recorded, and replay needs those files unchanged`);
      this.warned = true;
      return { hash, size, stored: 'hash', data: null };
    }
    this.kept += size;
    // A copy: the program owns its buffer and may change it.
    return { hash, size, stored: 'content', data: Buffer.from(data) };
  }
}

/**
 * A content as it is written to the recording: secrets the recording knows of by then (headers,
 * environment, `--redact` JSON fields) replaced in text files, as they are in bodies.
 */
export function redactContent(redactor: Redactor, file: FileContent): FileContent {
  if (file.stored !== 'content' || !file.data || isBinary(file.data)) return file;
  const text = Buffer.from(file.data).toString('utf8');
  const redacted = redactor.fileText(text);
  return redacted === text ? file : { ...file, stored: 'redacted', data: Buffer.from(redacted) };
}

function isBinary(data: Uint8Array): boolean {
  return data.subarray(0, 8000).includes(0);
}

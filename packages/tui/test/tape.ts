import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RecordingReader } from '@looptape/recording';

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'looptape-tui-'));
}

export function open(file: string): RecordingReader {
  return RecordingReader.open(file);
}

import { describe, expect, it } from 'vitest';
import type { Canonical } from '../canonical.js';
import { fileDifference } from './difference.js';

const write = (hash: string, path = 'db.json'): Canonical => ({ seq: 1, kind: 'fs.write', match: `fs.write writeFile ${path} ${hash}`, what: `writeFile ${path}`, scope: null, file: { path, hash } });

describe('fileDifference', () => {
  const bytes: Record<string, Buffer> = { a: Buffer.from('{"posts":[{"id":1,"title":"first"}]}'), b: Buffer.from('{"posts":[{"id":1,"title":"First"}]}'), bin: Buffer.from([0, 1, 2, 3]), bin2: Buffer.from([0, 1, 9, 3]) };
  const files = { recorded: (h: string | undefined) => bytes[h!], live: (h: string | undefined) => bytes[h!] };

  it('names the file and the first differing byte, with the text around it', () => {
    expect(fileDifference(write('a'), write('b'), files)).toBe('the program wrote other bytes to db.json than when recorded: first difference at byte 27: recorded …"\\":[{\\"id\\":1,\\"title\\":\\"first\\"}]}", replayed …"\\":[{\\"id\\":1,\\"title\\":\\"First\\"}]}"');
  });

  it('shows bytes that are not text in hex', () => {
    expect(fileDifference(write('bin', 'a.bin'), write('bin2', 'a.bin'), files)).toBe('the program wrote other bytes to a.bin than when recorded: first difference at byte 2: recorded 00010203, replayed 00010903');
  });

  it('leaves writes to different files to the general report', () => {
    expect(fileDifference(write('a', 'db.json'), write('b', 'other.json'), files)).toBeUndefined();
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Sink } from './sink.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'looptape-sink-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('Sink.toFile', () => {
  it('puts the file in place only when it is complete', async () => {
    const file = path.join(dir, 'done.json');
    const sink = Sink.toFile(file);
    await sink.write('{"a":');
    expect(fs.existsSync(file)).toBe(false);
    await sink.write(Buffer.from('1}'));
    await sink.close();
    expect(fs.readFileSync(file, 'utf8')).toBe('{"a":1}');
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('leaves no file behind, and an existing one untouched, when abandoned', async () => {
    const file = path.join(dir, 'kept.json');
    fs.writeFileSync(file, 'mine');
    const sink = Sink.toFile(file);
    await sink.write('half of it');
    await sink.abandon();
    expect(fs.readFileSync(file, 'utf8')).toBe('mine');
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('fails the export when its file cannot be written, instead of waiting for a drain that never comes', async () => {
    const sink = Sink.toFile(path.join(dir, 'no-such-folder', 'x.json'));
    await expect(async () => {
      await sink.write('x');
      await sink.close();
    }).rejects.toThrow(/ENOENT/);
    await expect(sink.abandon()).resolves.toBeUndefined();
  });
});

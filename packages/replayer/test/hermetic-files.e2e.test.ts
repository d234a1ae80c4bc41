// Files are inputs: what the program read comes from the recording in replay, what it writes
// goes to memory. The user's files keep their bytes and mtimes, and a replay is the same every
// time, even after the file read changed between recording and replay.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RecordingReader } from '@looptape/recording';
import type { ReplayResult } from '../src/result.js';
import { BIN, NODE, ROOT, run, scratch } from './support/cli.js';
import { snapshot } from './support/files.js';

const dir = scratch('hermetic-files');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const APIS = path.join(ROOT, 'examples/files/apis.mjs');

async function replay(tape: string, command: string[] = []): Promise<{ code: number | null; result: ReplayResult; stderr: string }> {
  const r = await run([NODE, BIN, 'replay', tape, '--json', ...(command.length ? ['--', ...command] : [])]);
  return { code: r.code, result: JSON.parse(r.stdout) as ReplayResult, stderr: r.stderr };
}

let runs = 0;
async function recordApis(api: string): Promise<{ tape: string; data: string; stdout: string }> {
  const data = path.join(dir, `${api}-${++runs}`);
  fs.mkdirSync(data);
  fs.writeFileSync(path.join(data, 'input.txt'), 'hello files\n');
  const tape = `${data}.tape`;
  const r = await run([NODE, BIN, 'record', '--out', tape, '--', NODE, APIS, api, data]);
  expect(r.code, r.stderr).toBe(0);
  return { tape, data, stdout: r.stdout };
}

describe('file APIs under record and replay', () => {
  it.each(['sync', 'callback', 'promise', 'stream'])('%s: reads come from the recording, writes never reach the disk', async (api) => {
    const { tape, data, stdout } = await recordApis(api);
    expect(stdout).toContain('read input.txt: "hello files\\n"');
    expect(stdout).toContain('final.txt: "HELLO FILES\\n\\nseen at');
    const reader = RecordingReader.open(tape);
    const fsEvents = [...reader.events({ kinds: ['fs.read', 'fs.write'] })];
    const kinds = fsEvents.map((e) => `${e.kind} ${'op' in e ? e.op : ''}`);
    reader.close();
    // Only the program's files: not its code, not looptape's own (the recording, its packages).
    expect(fsEvents.map((e) => ('path' in e ? e.path : '')).filter((p) => !p.startsWith(data))).toEqual([]);
    expect(kinds).toEqual(expect.arrayContaining(['fs.read readFile', 'fs.read stat', 'fs.read readdir', 'fs.read exists', 'fs.write mkdir', 'fs.write writeFile', 'fs.write appendFile', 'fs.write rename', 'fs.write unlink', 'fs.write rm']));

    // The file the program reads changes after the recording: replays still see the recorded one.
    fs.writeFileSync(path.join(data, 'input.txt'), 'changed on disk\n');
    const before = snapshot(data);
    const first = await replay(tape);
    const second = await replay(tape);
    for (const r of [first, second]) {
      expect(r.code, `${r.stderr}\n${JSON.stringify(r.result.divergence)}`).toBe(0);
      expect(r.result.stdout).toBe(stdout);
    }
    expect(second.result.streamHash).toBe(first.result.streamHash);
    expect(snapshot(data)).toEqual(before);
    expect(fs.existsSync(path.join(data, 'out'))).toBe(false);
  }, 60_000);

  it('names the file and the first differing byte when changed code writes another value', async () => {
    const { tape, data } = await recordApis('promise');
    const changed = path.join(dir, 'apis-changed.mjs');
    fs.writeFileSync(changed, fs.readFileSync(APIS, 'utf8').replace('text.toUpperCase()', "text.toUpperCase().replace('FILES', 'FOLKS')"));
    const before = snapshot(data);
    const { code, result } = await replay(tape, [NODE, changed, 'promise', data]);
    expect(code).toBe(1);
    expect(result.divergence?.message).toBe(`the program wrote other bytes to ${path.join(data, 'out/copy.txt')} than when recorded: first difference at byte 7: recorded "HELLO FILES\\n", replayed "HELLO FOLKS\\n"`);
    expect(snapshot(data)).toEqual(before);
  }, 60_000);

  it('says in one line that the program changed since it was recorded', async () => {
    const data = path.join(dir, `code-${++runs}`);
    fs.mkdirSync(data);
    fs.writeFileSync(path.join(data, 'input.txt'), 'hello files\n');
    const script = path.join(data, 'apis.mjs');
    fs.copyFileSync(APIS, script);
    const tape = `${data}.tape`;
    expect((await run([NODE, BIN, 'record', '--out', tape, '--', NODE, script, 'sync', data])).code).toBe(0);
    const same = await run([NODE, BIN, 'replay', tape]);
    expect(same.code, same.stderr).toBe(0);
    expect(same.stderr).not.toContain('changed since it was recorded');
    fs.appendFileSync(script, '// a comment: the code changed, not what it does\n');
    const changed = await run([NODE, BIN, 'replay', tape]);
    expect(changed.code, changed.stderr).toBe(0);
    expect(changed.stderr.split('\n').filter((l) => l.includes('changed since it was recorded'))).toEqual([`looptape: note: ${script} changed since it was recorded: replaying the code as it is now`]);
  }, 60_000);

  it('warns and uses the real files with --real-fs', async () => {
    const { tape, data } = await recordApis('sync');
    const r = await run([NODE, BIN, 'replay', tape, '--real-fs']);
    expect(r.stderr).toContain('looptape: warning: --real-fs: the program reads and writes your real files');
    expect(r.code, r.stderr).toBe(0);
    expect(fs.existsSync(path.join(data, 'out'))).toBe(false); // the program removes it itself, for real
  }, 60_000);
});

describe('file capture options', () => {
  it('refuses a --max-file-bytes that is not a number of bytes in one line, recording nothing', async () => {
    const tape = path.join(dir, 'bad-limit.tape');
    const r = await run([NODE, BIN, 'record', '--max-file-bytes', 'lots', '--out', tape, '--', NODE, APIS, 'sync', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual(['looptape: --max-file-bytes lots is not a number of bytes (for example --max-file-bytes 10M (k, M and G are 1000, 1000² and 1000³))']);
    expect(r.stderr).not.toContain('    at ');
    expect(fs.existsSync(tape)).toBe(false);
  }, 60_000);

  it('keeps only hashes past --max-file-bytes, says so, and replays while the file is unchanged', async () => {
    const data = path.join(dir, `limit-${++runs}`);
    fs.mkdirSync(data);
    fs.writeFileSync(path.join(data, 'input.txt'), 'hello files\n');
    const tape = `${data}.tape`;
    const r = await run([NODE, BIN, 'record', '--max-file-bytes', '10', '--out', tape, '--', NODE, APIS, 'sync', data]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`looptape: file contents reached --max-file-bytes (10 bytes) at ${path.join(data, 'input.txt')}: from there on only their hashes are recorded`);
    const reader = RecordingReader.open(tape);
    const read = [...reader.events({ kinds: ['fs.read'] })].find((e) => e.kind === 'fs.read' && e.op === 'readFile');
    expect(read?.kind === 'fs.read' && read.stored).toBe('hash');
    reader.close();
    expect((await replay(tape)).code).toBe(0);
  }, 60_000);
});

describe('secret files', () => {
  it('keeps a .env file out of the recording, and the program still replays', async () => {
    const data = path.join(dir, 'dotenv');
    fs.mkdirSync(data);
    const secret = 'sk-live-4f9a8b7c6d5e4f3a2b1c';
    fs.writeFileSync(path.join(data, '.env'), `API_TOKEN=${secret}\nREGION=eu-west\n`);
    const tape = path.join(dir, 'dotenv.tape');
    const recorded = await run([NODE, BIN, 'record', '--out', tape, '--', NODE, path.join(ROOT, 'examples/files/dotenv.mjs'), path.join(data, '.env')]);
    expect(recorded.stdout).toBe('settings: API_TOKEN, REGION; API_TOKEN set: true\n');
    expect(fs.readFileSync(tape).includes(secret)).toBe(false);
    const reader = RecordingReader.open(tape);
    const read = [...reader.events({ kinds: ['fs.read'] })][0];
    const kept = read.kind === 'fs.read' ? reader.file(read.hash!) : undefined;
    reader.close();
    expect(kept?.stored).toBe('redacted');
    expect(kept?.data?.toString()).toBe('API_TOKEN=<redacted:env:1>\nREGION=<redacted:env:2>\n');
    const { code, result } = await replay(tape);
    expect(code).toBe(0);
    expect(result.stdout).toBe(recorded.stdout);
  }, 60_000);
});

/**
 * `looptape ls DIR [--json]` lists the recordings in a folder — name, command, duration,
 * event and request counts, size — and passes over what is not a recording.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoopEvent } from '@looptape/recording';
import type { RecordingListing } from '../src/commands/ls.js';
import { events, fixture, killAll, lines, looptape, removeTemps, startLooptape, tempDir, type Finished } from '../../recorder/test/support/looptape.js';

let dir: string;
const recorded: Record<string, { argv: string[]; all: LoopEvent[] }> = {};
let json: Finished;
let text: Finished;

async function record(name: string, argv: string[]): Promise<void> {
  const run = await looptape(['record', '--out', path.join(dir, name), '--', ...argv]);
  expect(run.code === 0 || run.code === 3, run.err).toBe(true);
  recorded[name] = { argv, all: await events(path.join(dir, name)) };
}

beforeAll(async () => {
  dir = tempDir();
  await record('b-server.tape', [process.execPath, fixture('nondet.mjs')]);
  await record('a-exit.tape', [process.execPath, fixture('ending.mjs'), 'exit3']);
  // A program killed with SIGKILL: its recording is listed as killed, without a duration.
  const killed = startLooptape(['record', '--out', path.join(dir, 'c-killed.tape'), '--', process.execPath, fixture('busy.mjs')]);
  const [, pid] = await killed.waitFor(/pid (\d+)\n/);
  await new Promise((r) => setTimeout(r, 400));
  process.kill(Number(pid), 'SIGKILL');
  await killed.finished;
  recorded['c-killed.tape'] = { argv: [process.execPath, fixture('busy.mjs')], all: await events(path.join(dir, 'c-killed.tape')) };
  // Not recordings: passed over.
  fs.writeFileSync(path.join(dir, 'README.txt'), 'notes\n');
  fs.mkdirSync(path.join(dir, 'sub'));
  [json, text] = await Promise.all([looptape(['ls', dir, '--json']), looptape(['ls', dir])]);
}, 60_000);

afterAll(() => {
  killAll();
  removeTemps();
});

describe('looptape ls', () => {
  it('prints one JSON object per recording, sorted by name', () => {
    expect(json.code, json.err).toBe(0);
    const listed = lines(json.out).map((l) => JSON.parse(l) as RecordingListing);
    expect(listed.map((l) => l.name)).toEqual(['a-exit.tape', 'b-server.tape', 'c-killed.tape']);
  });

  it('gives each recording\'s command, counts, size, duration and exit as they are in the file', () => {
    for (const listing of lines(json.out).map((l) => JSON.parse(l) as RecordingListing)) {
      const { argv, all } = recorded[listing.name];
      const file = path.join(dir, listing.name);
      expect(listing.command).toBe(argv.join(' '));
      expect(listing.events, listing.name).toBe(all.length);
      expect(listing.size).toBe(fs.statSync(file).size);
      const requests = all.filter((e) => e.kind === 'http.request');
      expect(listing.requests).toEqual({
        in: requests.filter((e) => e.kind === 'http.request' && e.direction === 'in').length,
        out: requests.filter((e) => e.kind === 'http.request' && e.direction === 'out').length,
      });
      if (listing.name === 'c-killed.tape') {
        expect(listing).toMatchObject({ complete: false, exitCode: null });
      } else {
        expect(listing.complete).toBe(true);
        expect(listing.durationMs).toBeGreaterThanOrEqual(all.at(-1)!.t);
        expect(listing.durationMs).toBeLessThan(all.at(-1)!.t + 1000);
      }
    }
    const server = lines(json.out).map((l) => JSON.parse(l) as RecordingListing).find((l) => l.name === 'b-server.tape')!;
    expect(server.requests).toEqual({ in: 2, out: 2 });
    expect(lines(json.out).map((l) => (JSON.parse(l) as RecordingListing).exitCode)).toEqual([3, 0, null]);
  });

  it('prints a table a person can read: a header and one row per recording', () => {
    expect(text.code, text.err).toBe(0);
    const [header, ...rows] = lines(text.out);
    expect(header.split(/\s{2,}/)).toEqual(['NAME', 'COMMAND', 'DURATION', 'EVENTS', 'REQ IN/OUT', 'SIZE', 'EXIT']);
    expect(rows).toHaveLength(3);
    const listed = lines(json.out).map((l) => JSON.parse(l) as RecordingListing);
    rows.forEach((row, i) => {
      const l = listed[i];
      expect(row.startsWith(l.name)).toBe(true);
      expect(row).toContain(` ${l.events} `);
      expect(row).toContain(` ${l.requests.in}/${l.requests.out} `);
      expect(row).toContain(`${(l.size / 1024).toFixed(0)} KiB`);
      expect(row.trimEnd()).toMatch(l.complete ? new RegExp(`\\s${l.exitCode}$`) : /\skilled$/);
      if (l.durationMs !== null) expect(row).toContain(`${(l.durationMs / 1000).toFixed(2)}s`);
    });
    // A file that is not a recording is named with the reason, not skipped in silence.
    expect(text.err).toBe('looptape: not listed: README.txt: is not a looptape recording (not a SQLite file)\n');
  });

  it('says so when a folder holds no recording', async () => {
    const empty = tempDir();
    const run = await looptape(['ls', empty]);
    expect(run.code).toBe(0);
    expect(run.out).toBe(`no recordings in ${empty}\n`);
  });
});

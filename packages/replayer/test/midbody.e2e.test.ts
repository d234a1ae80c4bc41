import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { events, FIXTURES, NODE, record, replayJson, scratch } from './support/cli.js';

const dir = scratch('midbody');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('a response that fails after its head', () => {
  it('is recorded as head, then error, and replays the same way to http.get and fetch', async () => {
    const tape = path.join(dir, 'midbody.tape');
    const rec = await record(tape, [NODE, path.join(FIXTURES, 'midbody.mjs')]);
    expect(rec.code, rec.stderr).toBe(0);
    expect(rec.stdout).toContain('http error ECONNRESET');
    expect(rec.stdout).toContain('fetch status 200');
    const outbound = (await events(tape, ['http.response', 'http.error'])).filter((e) => 'direction' in e && e.direction === 'out');
    expect(outbound.map((e) => e.kind)).toEqual(['http.response', 'http.error', 'http.response', 'http.error']);
    const replay = await replayJson(tape);
    expect(replay.code, replay.stderr).toBe(0);
    expect(replay.result.ok).toBe(true);
    expect(replay.result.stdout).toBe(rec.stdout);
  });
});

/**
 * The HTTP clients and frameworks Node services use, each behind a small service that makes two
 * upstream calls at once for each of four requests that arrive together. `looptape record` runs
 * it against a real upstream on 127.0.0.1; `looptape replay` runs it 20 times with the upstream
 * gone: every replay answers as recorded, with one stream hash. The undici package's own API
 * and an http2 client, which the recording does not capture, are refused before replay starts,
 * in one line naming the program's call.
 * Runs on whichever Node runs the suite (`.ci/run`: 20, 22 and 24).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module shared with bench/fidelity.mjs, without types.
import { CASES, recordAndReplay, verdict } from '../../bench/fidelity-run.mjs';

interface Replay { code: number | null; ok: boolean; streamHash?: string; answers?: string[]; line: string }
interface Case { name: string; client: string; framework?: string; typescript?: boolean }
interface Run { recordCode: number | null; recordStderr: string; answers: string[]; replays: Replay[] }

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clients-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const named = (client: string, framework?: string, typescript?: boolean): Case => (CASES as Case[]).find((c) => c.client === client && c.framework === framework && !c.typescript === !typescript)!;

// The last: the service in TypeScript, run with `node --import tsx` (tsx's loader connects to a
// pipe named after the parent's pid, and on Node 20 and 22 loads modules on a thread of its own).
describe.each([['http'], ['fetch'], ['axios'], ['got'], ['node-fetch'], ['fetch', 'fastify'], ['fetch', undefined, 'tsx']])('a service calling out with %s (server: %s, %s)', (client, framework, tsx) => {
  it('replays 20 times with the upstream gone, answering as recorded, with one stream hash', async () => {
    const run = (await recordAndReplay(named(client, framework, tsx === 'tsx'), { dir, times: 20 })) as Run;
    expect(run.recordCode, run.recordStderr).toBe(0);
    expect([...run.answers].sort()).toEqual(['a', 'b', 'c', 'd'].map((id) => JSON.stringify({ id, left: { path: `/left?id=${id}` }, right: { path: `/right?id=${id}` } })));
    for (const replay of run.replays) expect(replay.code, replay.line).toBe(0);
    expect(verdict(run)).toEqual({ replayed: true, text: '20/20, one hash' });
  }, 240_000);
});

describe.each(['undici-request', 'undici-pool', 'undici-agent'])('a service calling out with %s', (client) => {
  it('records, and replay refuses it in one line naming the program\'s call', async () => {
    const run = (await recordAndReplay(named(client), { dir, times: 1 })) as Run;
    expect(run.recordCode, run.recordStderr).toBe(0);
    expect(run.answers).toHaveLength(4);
    expect(run.replays[0].code).toBe(2);
    expect(run.replays[0].line).toMatch(/^looptape: cannot replay: the program used undici \(GET request to http:\/\/127\.0\.0\.1:\d+ through the undici package at test\/frameworks\/fixtures\/clients\.mjs:\d+:\d+\), which recordings do not capture$/);
  }, 60_000);
});

describe('a service calling out with an http2 client', () => {
  it('records, and replay refuses it in one line naming the program\'s call', async () => {
    const run = (await recordAndReplay(named('http2'), { dir, times: 1 })) as Run;
    expect(run.recordCode, run.recordStderr).toBe(0);
    expect(run.answers).toHaveLength(4);
    expect(run.replays[0].code).toBe(2);
    expect(run.replays[0].line).toMatch(/^looptape: cannot replay: the program used an http2 client \(http2\.connect to http:\/\/127\.0\.0\.1:\d+ at test\/frameworks\/fixtures\/clients\.mjs:\d+:\d+\), which recordings do not capture$/);
  }, 60_000);
});

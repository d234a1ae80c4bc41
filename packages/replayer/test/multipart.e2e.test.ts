// Multipart uploads replay although their boundaries differ from the recording's: the
// boundary does not decide which request a body is, its parts do.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { events, FIXTURES, NODE, record, recordedStdout, replayJson, scratch } from './support/cli.js';
import { startStub } from './support/stub.js';

const dir = scratch('multipart');
const tape = path.join(dir, 'multipart.tape');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let recordedOut: string;
let boundaries: string[];

beforeAll(async () => {
  const stub = await startStub({ '/upload': { latencyMs: 5, body: '{"stored":true}' } });
  const run = await record(tape, [NODE, path.join(FIXTURES, 'multipart.mjs')], { env: { UPSTREAM_URL: stub.url } });
  await stub.close();
  expect(run.code, run.stderr).toBe(0);
  const evs = await events(tape);
  recordedOut = recordedStdout(evs);
  boundaries = evs.flatMap((e) => (e.kind === 'http.request' && e.direction === 'out' ? [String(e.headers['content-type'])] : []));
}, 30_000);

describe('a multipart upload through fetch', () => {
  it('is recorded as two uploads, one body in text and one with binary bytes', async () => {
    expect(recordedOut).toBe('upload widget: 200 {"stored":true}\nupload gadget: 200 {"stored":true}\n');
    expect(boundaries).toHaveLength(2);
    for (const b of boundaries) expect(b).toMatch(/^multipart\/form-data; boundary=\S+$/);
    const bodies = (await events(tape, ['http.request'])).map((e) => (e.kind === 'http.request' ? e.bodyEncoding ?? 'utf8' : ''));
    expect(bodies).toEqual(['utf8', 'base64']);
  });

  it('replays with other boundaries, matching the recording, every time', async () => {
    for (let i = 0; i < 3; i++) {
      const { code, result } = await replayJson(tape);
      expect(code, result.divergence?.message).toBe(0);
      expect(result.ok).toBe(true);
      expect(result.stdout).toBe(recordedOut);
    }
  }, 60_000);
});

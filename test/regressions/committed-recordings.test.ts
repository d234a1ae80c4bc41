import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: the examples are plain JavaScript without types
import { bugShown, EXAMPLES } from '../../examples/harness.mjs';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CLI = path.join(ROOT, 'packages/cli/dist/bin.js');

interface Replay {
  ok: boolean;
  responses: Array<{ method: string; url: string; status: number; body: string; aborted?: boolean }>;
  stdout: string;
  stderr: string;
  exitCode: number | null;
}

function recordedResponses(tape: string): Array<{ status: number; body: string }> {
  const lines = execFileSync(process.execPath, [CLI, 'events', tape, '--kind', 'http.response', '--json'], { cwd: ROOT, encoding: 'utf8' });
  return lines.trim().split('\n').map((l) => JSON.parse(l)).filter((e) => e.direction === 'in').map((e) => ({ status: e.status, body: e.body }));
}

// Recordings committed in recordings/examples/ must keep replaying: a format change without a
// migration, or a replay regression, fails here.
describe('committed recordings of the examples', () => {
  for (const name of EXAMPLES as string[]) {
    it(`replays ${name} with its bug, matching the recording`, () => {
      const tape = path.join('recordings/examples', `${name}.tape`);
      const run = spawnSync(process.execPath, [CLI, 'replay', tape, '--json'], { cwd: ROOT, encoding: 'utf8' });
      expect(run.status, run.stderr).toBe(0);
      const replay = JSON.parse(run.stdout) as Replay;
      expect(replay.ok).toBe(true);
      // A client that went away got no answer: the recording has its abort, not a response.
      expect(replay.responses.filter((r) => !r.aborted).map(({ status, body }) => ({ status, body }))).toEqual(recordedResponses(tape));
      const traffic = replay.responses.map((r) => ({ method: r.method, path: r.url, status: r.status, body: r.body }));
      expect(bugShown(name, { traffic, appStdout: replay.stdout, appStderr: replay.stderr, appExitCode: replay.exitCode })).toBe(true);
    });
  }
});

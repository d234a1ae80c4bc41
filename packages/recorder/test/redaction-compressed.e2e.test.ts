import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const BIN = path.join(ROOT, 'packages/cli/dist/bin.js');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'looptape-redact-gzip-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('redaction of compressed bodies', () => {
  it('finds a --redact field inside a gzip body stored raw, and compresses the redacted body again', () => {
    const tape = path.join(dir, 'gz.tape');
    const run = spawnSync(process.execPath, [BIN, 'record', '--redact', 'access_token', '--out', tape, '--', process.execPath, path.join(import.meta.dirname, 'fixtures/gzip-secret.mjs')], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const events = spawnSync(process.execPath, [BIN, 'events', tape, '--kind', 'http.response', '--json'], { encoding: 'utf8' }).stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(events).toHaveLength(2);
    for (const e of events) {
      expect(e.bodyEncoding).toBe('base64');
      const body = zlib.gunzipSync(Buffer.from(e.body, 'base64')).toString('utf8');
      expect(body).not.toContain('tok-gzipped-secret-987');
      expect(JSON.parse(body)).toEqual({ access_token: '<redacted:access_token:1>', note: 'hi' });
    }
  });
});

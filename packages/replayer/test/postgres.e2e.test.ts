// A service over PostgreSQL (Express, pg.Pool of 2, transactions, a failing query), recorded
// with `looptape record` against a real server on 127.0.0.1, then replayed with it stopped.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answers, events, looptape, NODE, recordedResponses, replayJson, ROOT, scratch } from './support/cli.js';
import { startPostgres, whileUp, type PostgresServer } from './support/databases.js';
import { netLines, secretFound } from './support/net-events.js';
import { recordService, type RecordedService } from './support/service.js';

const PASSWORD = 'pg-Pw-c41e97d0';
const RUNS = 20;
const dir = scratch('postgres');
const tape = path.join(dir, 'transfers.tape');
let postgres: PostgresServer;
let recorded: RecordedService;

beforeAll(async () => {
  postgres = await startPostgres(PASSWORD);
  recorded = await whileUp(postgres, (server) => recordService(tape, 'pg-transfers', server.env));
}, 180_000);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('a pg.Pool service: five concurrent transactions and a failing query', () => {
  it('serves its traffic while recorded, and the recording shows its queries and results as PostgreSQL', async () => {
    expect(recorded.record.code).toBe(0);
    const lines = recorded.traffic.stdout.split('\n').filter(Boolean);
    expect(lines.filter((l) => l.startsWith('POST /transfer -> 200'))).toHaveLength(5);
    expect(lines).toContain('GET /report -> 500 {"error":"relation \\"ledger\\" does not exist","code":"42P01"}');
    const net = await netLines(tape);
    const connects = net.filter((l) => l.includes('net.connect'));
    expect(connects.length).toBeGreaterThanOrEqual(2);
    for (const c of connects) expect(c).toMatch(new RegExp(`pg 127\\.0\\.0\\.1:${postgres.port}`));
    expect(net.filter((l) => /net\.write .* Query "BEGIN"/.test(l))).toHaveLength(5);
    expect(net.filter((l) => /net\.write .* Query "COMMIT"/.test(l))).toHaveLength(5);
    expect(net.some((l) => /net\.write .* Parse "UPDATE accounts SET balance = balance - \$1 WHERE id = \$2"/.test(l))).toBe(true);
    expect(net.some((l) => /net\.write .* Bind \[10, 1\]/.test(l))).toBe(true);
    // How the server's messages fall into chunks is the network's doing: the error (or the rows)
    // may share a chunk with the messages before or after it.
    expect(net.some((l) => /net\.data .*→ (.*; )?ERROR 42P01 relation "ledger" does not exist/.test(l))).toBe(true);
    expect(net.some((l) => /net\.data .*→ (.*; )?6 rows \[1, 90\]/.test(l))).toBe(true);
  });

  it('keeps the password out of the recording (SCRAM): not in its bytes, not in any chunk', async () => {
    const evs = await events(tape);
    expect(secretFound(tape, PASSWORD, evs)).toEqual([]);
    const sasl = (await netLines(tape)).filter((l) => /net\.write .* Password/.test(l));
    expect(sasl.length).toBeGreaterThanOrEqual(4);
    const writes = evs.filter((e) => e.kind === 'net.write').map((e) => (e.kind === 'net.write' ? Buffer.from(e.chunk, e.bodyEncoding === 'base64' ? 'base64' : 'utf8') : Buffer.alloc(0)));
    const passwordMessages = writes.filter((b) => b[0] === 0x70);
    expect(passwordMessages.length).toBe(sasl.length);
    for (const b of passwordMessages) expect(b.subarray(5).toString('latin1')).toMatch(/^<redacted:password>\0$/);
  });

  it(`replays ${RUNS} times out of ${RUNS} with the server stopped, answering every request as recorded`, async () => {
    const expected = recordedResponses(await events(tape));
    expect(expected).toHaveLength(7);
    for (let i = 0; i < RUNS; i++) {
      const { code, result } = await replayJson(tape);
      expect({ run: i + 1, ok: result.ok, code, divergence: result.divergence }).toEqual({ run: i + 1, ok: true, code: 0, divergence: null });
      expect(answers(result.responses)).toEqual(expected);
    }
  }, 600_000);

  it('names the query, as text, when changed code sends another one', async () => {
    const r = await looptape(['replay', tape, '--', NODE, path.join(ROOT, 'examples/pg-transfers/server.guarded.mjs')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("replay diverged: the program's net.write differs from the recording's");
    expect(r.stdout).toMatch(new RegExp(`expected: .*pg Parse "UPDATE accounts SET balance = balance - \\$1 WHERE id = \\$2" on connection \\d+ to 127\\.0\\.0\\.1:${postgres.port}`));
    expect(r.stdout).toMatch(/actual: .*pg Parse "UPDATE accounts SET balance = balance - \$1 WHERE id = \$2 AND balance >= \$1"/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

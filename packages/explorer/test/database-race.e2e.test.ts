// A check-then-act across two PostgreSQL queries (examples/pg-double-book): recorded against a
// real server on a lucky timing, where it does not show; `looptape explore` finds, with the
// server stopped, the order where two people get one seat, and explains it in one line.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answers, events, recordedResponses, replayJson } from '../../replayer/test/support/cli.js';
import { startPostgres, whileUp } from '../../replayer/test/support/databases.js';
import { recordService, type RecordedService } from '../../replayer/test/support/service.js';
import { exploreJson, ROOT, scratch } from './support.js';

const dir = scratch('database-race');
const tape = path.join(dir, 'double-book.tape');
const found = path.join(dir, 'double-book.found.tape');
const ORACLE = `js:${path.join(ROOT, 'examples/pg-double-book/oracle.mjs')}`;
let recorded: RecordedService;

beforeAll(async () => {
  recorded = await whileUp(await startPostgres('pg-race-Pw-5b1d'), (postgres) => recordService(tape, 'pg-double-book', postgres.env));
}, 180_000);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('explore on a recording of two PostgreSQL queries', () => {
  it('starts from a passing recording: the second booking of the seat got 409', async () => {
    expect(recorded.record.code).toBe(0);
    const statuses = recordedResponses(await events(tape)).map((r) => `${r.method} ${r.url} ${r.status}`);
    expect(statuses).toEqual(['POST /book 201', 'POST /book 409', 'GET /bookings 200']);
  });

  it('finds the order where both pass the check, explains it naming the query, and saves it', async () => {
    const { run, result } = await exploreJson([tape, '--until', ORACLE, '--out', found, '--seed', '1']);
    expect(run.code).toBe(0);
    expect(result.found).toBe(true);
    expect(result.reason).toBe('seat 12A booked twice');
    // The second request in the window between the first one's check and its act: before the
    // answer to its check, or to its insert (which one the shrinking keeps depends on the recording).
    const check = 'pg "SELECT count\\(\\*\\)::int AS taken FROM bookings WHERE seat = \\$1" \\["12A"\\]';
    const act = 'pg "INSERT INTO bookings \\(seat, person\\) VALUES \\(\\$1, \\$2\\)" \\["12A", "(ada|bob)"\\]';
    expect(result.explanation).toMatch(new RegExp(`^fails when the client's POST /book \\(2nd time\\) arrives before the answer to (${check}|${act}) arrives`));
    expect(result.explanation.split('\n')).toHaveLength(1);
    expect(fs.existsSync(found)).toBe(true);
  }, 600_000);

  it('keeps the failing order: its strict replay books the seat twice, every time', async () => {
    for (let i = 0; i < 3; i++) {
      const { code, result } = await replayJson(found);
      expect({ code, ok: result.ok }).toEqual({ code: 0, ok: true });
      const booked = answers(result.responses).filter((r) => r.url === '/book').map((r) => r.status);
      expect(booked).toEqual([201, 201]);
    }
  }, 120_000);
});

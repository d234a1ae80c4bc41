// A Redis session store and a Redis pub/sub feed (ioredis, real redis-server on 127.0.0.1),
// recorded with `looptape record`, then replayed with the server stopped.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoopEvent } from '@looptape/recording';
import { answers, events, recordedResponses, replayJson, scratch } from './support/cli.js';
import { startRedis, whileUp, type RedisServer } from './support/databases.js';
import { netLines, secretFound } from './support/net-events.js';
import { recordService, type RecordedService } from './support/service.js';

const PASSWORD = 'redis-Pw-7f3a91c2';
const RUNS = 20;
const dir = scratch('redis');
const sessionsTape = path.join(dir, 'sessions.tape');
const pubsubTape = path.join(dir, 'pubsub.tape');
let redis: RedisServer;
let sessions: RecordedService;
let pubsub: RecordedService;

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

beforeAll(async () => {
  redis = await startRedis(PASSWORD);
  await whileUp(redis, async (server) => {
    sessions = await recordService(sessionsTape, 'redis-sessions', { REDIS_URL: server.url });
    pubsub = await recordService(pubsubTape, 'redis-pubsub', { REDIS_URL: server.url });
  });
}, 180_000);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('a Redis session store (Express, ioredis)', () => {
  it('serves its traffic while recorded, and the recording shows its commands and replies as Redis', async () => {
    expect(sessions.record.code).toBe(0);
    const statuses = sessions.traffic.stdout.split('\n').filter(Boolean).map((l) => /-> (\d+)/.exec(l)?.[1]);
    expect(statuses).toEqual(['201', '201', '201', '200', '200', '200', '200', '200', '200', '200', '200', '200']);
    const lines = await netLines(sessionsTape);
    expect(lines.find((l) => l.includes('net.connect'))).toMatch(new RegExp(`#1 redis 127\\.0\\.0\\.1:${redis.port}`));
    expect(lines.some((l) => /net\.write .*#1 set session:[0-9a-f-]{36} "\{\\"user\\":\\"ada\\",\\"cart\\":\[\]\}" EX 3600/.test(l))).toBe(true);
    expect(lines.some((l) => /net\.write .*#1 get session:[0-9a-f-]{36}/.test(l))).toBe(true);
    expect(lines.some((l) => /net\.data .*#1 → (.*; )?"\{\\"user\\":\\"(ada|bob|cy)\\",\\"cart\\":\[/.test(l))).toBe(true);
  });

  it('keeps the AUTH password out of the recording: not in its bytes, not in any chunk', async () => {
    const evs = await events(sessionsTape);
    expect(secretFound(sessionsTape, PASSWORD, evs)).toEqual([]);
    const auth = (await netLines(sessionsTape)).find((l) => /net\.write .* auth /.test(l));
    expect(auth).toMatch(/auth "<redacted:password:\d+>"/);
  });

  it(`replays ${RUNS} times out of ${RUNS} with the server stopped, answering every request as recorded`, async () => {
    expect(await refused(redis.port)).toBe(true);
    const recorded = recordedResponses(await events(sessionsTape));
    expect(recorded).toHaveLength(12);
    const hashes = new Set<string>();
    for (let i = 0; i < RUNS; i++) {
      const { code, result } = await replayJson(sessionsTape);
      expect({ run: i + 1, ok: result.ok, code, divergence: result.divergence }).toEqual({ run: i + 1, ok: true, code: 0, divergence: null });
      expect(answers(result.responses)).toEqual(recorded);
      hashes.add(result.streamHash);
    }
    expect(hashes.size).toBe(1);
  }, 600_000);
});

describe('a Redis pub/sub feed (ioredis subscriber)', () => {
  const feeds = (evs: LoopEvent[]) => recordedResponses(evs).filter((r) => r.url === '/feed').map((r) => (JSON.parse(r.body) as { feed: string[] }).feed);

  it('got messages while requests were in flight, as chunks read on the subscriber connection', async () => {
    expect(pubsub.record.code).toBe(0);
    const evs = await events(pubsubTape);
    const seen = feeds(evs);
    expect(seen).toHaveLength(6);
    expect(seen.at(-1)).toHaveLength(6);
    expect(seen.some((f) => f.length < 6)).toBe(true);
    // Pushes on the subscriber's connection, read between requests the service was serving.
    const pushes = evs.filter((e) => e.kind === 'net.data' && e.chunk.includes('message'));
    const served = evs.filter((e) => e.kind === 'http.request' && e.direction === 'in').map((e) => e.seq);
    expect(pushes.length).toBeGreaterThan(0);
    expect(pushes.some((e) => e.seq > served[0] && e.seq < served.at(-1)!)).toBe(true);
    const lines = await netLines(pubsubTape);
    expect(lines.some((l) => /net\.data .* → (.*; )?\[message, news, "outside 1"\]/.test(l))).toBe(true);
  });

  it(`replays the messages in their recorded order among the requests, ${RUNS} times out of ${RUNS}`, async () => {
    const evs = await events(pubsubTape);
    const recorded = recordedResponses(evs);
    for (let i = 0; i < RUNS; i++) {
      const { result } = await replayJson(pubsubTape);
      expect({ run: i + 1, ok: result.ok, divergence: result.divergence }).toEqual({ run: i + 1, ok: true, divergence: null });
      expect(answers(result.responses)).toEqual(recorded);
    }
  }, 600_000);
});

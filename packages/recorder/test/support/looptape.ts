/**
 * Helpers for the recorder's end-to-end tests: the runner of the real `looptape` command
 * (test-support's cli.ts, re-exported here), what a recording holds, servers on 127.0.0.1.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import type { LoopEvent } from '@looptape/recording';
import { looptape, ROOT, type Finished } from '../../../test-support/src/cli.js';

export { BIN, killAll, looptape, node, ROOT, start, startLooptape, type Finished, type Running, type StartOptions } from '../../../test-support/src/cli.js';
export const FIXTURES = path.join(ROOT, 'packages/recorder/test/fixtures');

export function fixture(name: string): string {
  return path.join(FIXTURES, name);
}

const temps: string[] = [];

/** A recording's events as `looptape events FILE --json` prints them (one object a line). */
export async function events(file: string, ...filters: string[]): Promise<LoopEvent[]> {
  const run = await looptape(['events', file, '--json', ...filters]);
  if (run.code !== 0) throw new Error(`looptape events ${file} exited ${run.code}: ${run.err}`);
  return run.out.split('\n').filter(Boolean).map((line) => JSON.parse(line) as LoopEvent);
}

/** Events of one kind, typed. */
export function ofKind<K extends LoopEvent['kind']>(all: LoopEvent[], kind: K): Extract<LoopEvent, { kind: K }>[] {
  return all.filter((e): e is Extract<LoopEvent, { kind: K }> => e.kind === kind);
}

/** The lines of a stream's output, without the empty one after the last newline. */
export function lines(text: string): string[] {
  return text.split('\n').filter((l, i, all) => l !== '' || i < all.length - 1);
}

/** A fresh temporary folder, removed after the test file (call `removeTemps` in afterAll). */
export function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'looptape-e2e-'));
  temps.push(dir);
  return dir;
}

export function removeTemps(): void {
  for (const dir of temps.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

export function sha256(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

export interface TestServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 (port 0) whose close() also ends open connections. */
export async function serve(handler: http.RequestListener): Promise<TestServer> {
  const server = http.createServer(handler);
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () => new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
}

/** A port on 127.0.0.1 where nothing listens (connecting to it is refused). */
export async function refusedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The body of a recorded request or response as bytes. */
export function bodyBytes(e: { body: string; bodyEncoding?: string }): Buffer {
  return e.bodyEncoding === 'base64' ? Buffer.from(e.body, 'base64') : Buffer.from(e.body, 'utf8');
}

/** 1-based line of the first line of `file` containing `marker`. */
export function lineOf(file: string, marker: string): number {
  const index = fs.readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(marker));
  if (index < 0) throw new Error(`no '${marker}' in ${file}`);
  return index + 1;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One line on stderr, from looptape, without a stack trace. */
export function expectOneLooptapeLine(stderr: string, pattern: RegExp): void {
  expect(lines(stderr), stderr).toHaveLength(1);
  expect(stderr).toMatch(/^looptape: /);
  expect(stderr).toMatch(pattern);
  expect(stderr).not.toMatch(/^\s+at /m);
}

/** `looptape replay FILE --json`, parsed. */
export async function replay(file: string): Promise<{ run: Finished; result: { ok: boolean; stdout: string; exitCode: number | null; divergence: unknown } }> {
  const run = await looptape(['replay', file, '--json']);
  let result;
  try {
    result = JSON.parse(run.out);
  } catch {
    throw new Error(`replay printed no JSON (exit ${run.code}): ${run.out}\n${run.err}`);
  }
  return { run, result };
}

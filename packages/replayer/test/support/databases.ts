// Real Redis and PostgreSQL servers for the end-to-end tests: Debian's redis-server and
// PostgreSQL (.ci/run installs them), each on a free port of 127.0.0.1 only, with its own data
// folder under /tmp, started and stopped by the tests with bounded waits.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** A port nothing listens on now (asked of the system, then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Waits until `ready()` is true, checking every 100 ms, and fails after `ms` with `what`. */
async function waitFor(what: string, ready: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await ready()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${what} was not ready after ${ms / 1000} s`);
}

/** Whether something accepts connections on 127.0.0.1:port. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export interface RedisServer {
  port: number;
  password: string;
  /** redis://:PASSWORD@127.0.0.1:PORT */
  url: string;
  stop(): Promise<void>;
}

/** A redis-server with a password, no persistence, on a free port of 127.0.0.1. */
export async function startRedis(password: string): Promise<RedisServer> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'looptape-redis-'));
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--requirepass', password], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('error', () => {});
  await waitFor(`redis-server on port ${port} (is redis-server installed? .ci/run installs it)`, async () => child.exitCode === null && child.pid !== undefined && (await accepts(port)));
  return {
    port,
    password,
    url: `redis://:${password}@127.0.0.1:${port}`,
    stop: async () => {
      await stopChild(child, exited);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const killed = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(killed);
}

export interface PostgresServer {
  port: number;
  /** PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE for pg. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** The newest PostgreSQL's programs folder of Debian's packages. */
function postgresBin(): string {
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root) ? fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, 'bin/initdb'))) : [];
  if (versions.length === 0) throw new Error('PostgreSQL is not installed (/usr/lib/postgresql/*/bin/initdb): .ci/run installs it');
  return path.join(root, versions.sort((a, b) => Number(b) - Number(a))[0], 'bin');
}

/**
 * A PostgreSQL cluster made for the test (user `app`, SCRAM passwords), listening on a free
 * port of 127.0.0.1 only. PostgreSQL refuses to run as root: as root, it runs as `nobody`.
 */
export async function startPostgres(password: string): Promise<PostgresServer> {
  const bin = postgresBin();
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'looptape-pg-'));
  fs.chmodSync(dir, 0o777);
  fs.writeFileSync(path.join(dir, 'pw'), password, { mode: 0o644 });
  const asUser = (argv: string[]) => (process.getuid?.() === 0 ? ['runuser', '-u', 'nobody', '--', ...argv] : argv);
  const run = (argv: string[], what: string) => {
    const [cmd, ...args] = asUser(argv);
    const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 60_000, cwd: dir });
    if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status ?? r.signal}): ${r.stderr || r.stdout}`);
  };
  run([path.join(bin, 'initdb'), '-D', path.join(dir, 'data'), '-U', 'app', '--auth=scram-sha-256', `--pwfile=${path.join(dir, 'pw')}`, '-E', 'UTF8', '--no-sync'], 'initdb');
  const options = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${dir} -c fsync=off`;
  run([path.join(bin, 'pg_ctl'), '-D', path.join(dir, 'data'), '-l', path.join(dir, 'log'), '-w', '-t', '60', '-o', options, 'start'], 'pg_ctl start');
  await waitFor(`postgres on port ${port}`, () => accepts(port));
  return {
    port,
    env: { PGHOST: '127.0.0.1', PGPORT: String(port), PGUSER: 'app', PGPASSWORD: password, PGDATABASE: 'postgres' },
    stop: async () => {
      run([path.join(bin, 'pg_ctl'), '-D', path.join(dir, 'data'), '-m', 'fast', '-w', '-t', '60', 'stop'], 'pg_ctl stop');
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs `use` with a started server and stops the server after, whatever happened. */
export async function whileUp<S extends { stop(): Promise<void> }, T>(server: S, use: (server: S) => Promise<T>): Promise<T> {
  try {
    return await use(server);
  } finally {
    await server.stop();
  }
}

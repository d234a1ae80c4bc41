import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPLAY_HOST_ENTRY, type HostAnswer, type HostRequest, type ReplayResult } from '@looptape/replayer';
import { readResult, runReplay, type RunOptions } from './run.js';
import { nodeScript, type Target } from './target.js';

interface Host {
  child: ChildProcess;
  /** Runs it has answered: a host that dies before its first answer cannot host this program. */
  answered: number;
}

/**
 * Replay hosts: processes that each replay the recording many times, one run after another
 * (the replayer's host.ts), so that a run costs the program's own work, not a Node start-up.
 * A run a host cannot give (it died, or the program is not a `node script` command) runs in a
 * process of its own, as `runReplay` does; a program no host can load is run that way from then on.
 */
export class Hosts {
  private readonly idle: Host[] = [];
  private readonly live = new Set<Host>();
  private readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'looptape-hosts-'));
  private runs = 0;
  /** Runs hosts gave, runs given by processes of their own, and hosts started. */
  readonly counts = { hosted: 0, alone: 0, hosts: 0 };
  /** Why runs go to processes of their own instead. */
  private off: string | undefined;

  constructor(private readonly target: Target, private readonly env: NodeJS.ProcessEnv) {
    if (!nodeScript(target.argv)) this.off = 'not a node script';
  }

  /** Replays once, as runReplay does, in a host when one can take the run. */
  async run(options: RunOptions): Promise<ReplayResult> {
    if (this.off || options.output === 'inherit') return this.alone(options);
    const run = this.runs++;
    const resultFile = path.join(this.dir, `${run}.json`);
    const host = this.idle.pop() ?? this.start();
    const answer = await ask(host, { run, options: { ...options.replay, file: options.file, resultFile } });
    if (!answer || answer.fallback) {
      this.drop(host);
      if (host.answered === 0) this.off = answer?.fallback ?? 'the program cannot be hosted';
      return this.alone(options);
    }
    host.answered++;
    this.counts.hosted++;
    if (answer.retire) this.drop(host);
    else this.idle.push(host);
    try {
      return readResult(resultFile, options.argv, null);
    } finally {
      fs.rmSync(resultFile, { force: true });
    }
  }

  private alone(options: RunOptions): Promise<ReplayResult> {
    this.counts.alone++;
    return runReplay(options);
  }

  close(): void {
    for (const host of this.live) host.child.kill();
    this.live.clear();
    this.idle.length = 0;
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private start(): Host {
    const { argv, cwd } = this.target;
    const debug = this.env.LOOPTAPE_DEBUG ? 'inherit' : 'ignore';
    const child = spawn(argv[0], argv.slice(1), {
      cwd,
      stdio: ['ignore', 'ignore', debug, 'ipc'],
      env: { ...this.env, NODE_OPTIONS: `${this.env.NODE_OPTIONS ?? ''} --import=${REPLAY_HOST_ENTRY}`.trim(), LOOPTAPE_REPLAY_HOST: '1' },
    });
    const host: Host = { child, answered: 0 };
    this.counts.hosts++;
    child.once('exit', () => this.live.delete(host));
    child.on('error', () => this.live.delete(host));
    this.live.add(host);
    return host;
  }

  private drop(host: Host): void {
    this.live.delete(host);
    if (host.child.exitCode === null) host.child.kill();
  }
}

/** Sends a run to a host: its answer, or undefined when the host is gone before answering. */
function ask(host: Host, request: HostRequest): Promise<HostAnswer | undefined> {
  const { child } = host;
  return new Promise((resolve) => {
    const settle = (answer: HostAnswer | undefined) => {
      child.off('message', onMessage);
      child.off('exit', onExit);
      child.off('error', onExit);
      resolve(answer);
    };
    const onMessage = (answer: HostAnswer) => {
      if (answer.run === request.run) settle(answer);
    };
    const onExit = () => settle(undefined);
    if (child.exitCode !== null || !child.connected) return resolve(undefined);
    child.on('message', onMessage);
    child.once('exit', onExit);
    child.once('error', onExit);
    child.send(request, (error) => {
      if (error) settle(undefined);
    });
  });
}

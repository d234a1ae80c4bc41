// Replay hosts give each run what a process of its own gives it: the same run object, run
// after run in one host, for the examples' explored orders and for every way a program ends.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReplayResult } from '@looptape/replayer';
import { Hosts } from '../src/hosts.js';
import { runReplay, type RunOptions } from '../src/run.js';
import { looptape, NODE, ROOT, scratch } from './support.js';

const dir = scratch('hosts');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Everything but the run's real duration. */
const same = (r: ReplayResult) => ({ ...r, wallMs: undefined });

const EXAMPLES: Array<{ name: string; faults: Array<'aborts' | 'retries'> }> = [
  { name: 'price-race', faults: [] },
  { name: 'double-book', faults: [] },
  { name: 'lost-update', faults: [] },
  { name: 'late-body', faults: [] },
  { name: 'double-charge', faults: ['retries'] },
  { name: 'retry-backoff', faults: ['aborts'] },
];

describe('a host replays the explored orders of each example as processes of their own do', () => {
  for (const { name, faults } of EXAMPLES) {
    it(name, async () => {
      const file = path.join(ROOT, 'recordings/examples', `${name}.passing.tape`);
      const target = { argv: [NODE, `examples/${name}/server.mjs`], cwd: ROOT };
      const hosts = new Hosts(target, process.env);
      try {
        for (let seed = 0; seed < 6; seed++) {
          const options: RunOptions = { ...target, file, env: process.env, replay: { choose: { strategy: 'pct', seed, depth: 1 + (seed % 3), expectedSteps: 12 }, faults, answers: 'similar' } };
          const hosted = await hosts.run(options);
          const alone = await runReplay(options);
          expect(same(hosted), `seed ${seed}`).toEqual(same(alone));
        }
        expect(hosts.counts).toEqual({ hosted: 6, alone: 0, hosts: 1 });
      } finally {
        hosts.close();
      }
    });
  }
});

describe('each run in a host starts from a fresh program and ends as its process would', () => {
  const program = 'packages/explorer/test/fixtures/hosted/program.mjs';
  const MODES = ['natural', 'exit', 'exit-code', 'throw', 'handled', 'reject', 'leave'];
  const recordings = new Map<string, string>();

  beforeAll(async () => {
    for (const mode of [...MODES, 'cjs']) {
      const out = path.join(dir, `${mode}.tape`);
      const script = mode === 'cjs' ? 'packages/explorer/test/fixtures/hosted/program.cjs' : program;
      const r = await looptape(['record', '--out', out, '--', NODE, script], { env: { MODE: mode } });
      expect(fs.existsSync(out), r.stderr).toBe(true);
      recordings.set(mode, out);
    }
  });

  it.each(MODES)('%s: three runs in one host give the run object of a fresh process', async (mode) => {
    const target = { argv: [NODE, program], cwd: ROOT };
    const options: RunOptions = { ...target, file: recordings.get(mode)!, env: process.env };
    const alone = await runReplay(options);
    expect(alone.ok, JSON.stringify(alone.divergence)).toBe(true);
    const hosts = new Hosts(target, process.env);
    try {
      for (let i = 0; i < 3; i++) expect(same(await hosts.run(options)), `run ${i + 1}`).toEqual(same(alone));
      // A program that leaves work running makes its host make way for a new one after each run.
      expect(hosts.counts).toEqual({ hosted: 3, alone: 0, hosts: mode === 'leave' ? 3 : 1 });
    } finally {
      hosts.close();
    }
    // What each ending looks like, so that "the same as a process" is not the same mistake twice.
    const expected: Record<string, [number, string]> = {
      natural: [0, 'exit 0: counter 1, global 1, exit listeners 1, main true'],
      exit: [3, 'exit 3: counter 1'],
      'exit-code': [4, 'exit 4: counter 1'],
      throw: [1, 'exit 1: counter 1'],
      handled: [0, 'handled: boom'],
      reject: [1, 'exit 1: counter 1'],
      leave: [0, 'exit 0: counter 1'],
    };
    const [code, line] = expected[mode];
    expect(alone.exitCode).toBe(code);
    expect(alone.stdout).toContain(line);
    if (mode === 'throw' || mode === 'reject') expect(alone.errors).toHaveLength(1);
  });

  it('a CommonJS program runs as the main module in every run', async () => {
    const target = { argv: [NODE, 'packages/explorer/test/fixtures/hosted/program.cjs'], cwd: ROOT };
    const hosts = new Hosts(target, process.env);
    try {
      for (let i = 0; i < 3; i++) {
        const r = await hosts.run({ ...target, file: recordings.get('cjs')!, env: process.env });
        expect(r.stdout).toBe('main: counter 1\n');
      }
      expect(hosts.counts).toEqual({ hosted: 3, alone: 0, hosts: 1 });
    } finally {
      hosts.close();
    }
  });
});

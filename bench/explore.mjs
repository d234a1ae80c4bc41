#!/usr/bin/env node
// How fast `looptape explore` finds each example's race from its passing recording: runs to the
// first failure (median and max over 20 seeds) and replays per second, with one job and with two
// (this machine has 2 cores). Prints a table and one JSON line.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const CLI = path.join(ROOT, 'packages/cli/dist/bin.js');
const SEEDS = Number(process.env.BENCH_SEEDS ?? 20);
const FIXED_RUNS = Number(process.env.BENCH_RUNS ?? 200);
const EXAMPLES = fs.readdirSync(path.join(ROOT, 'recordings/examples')).filter((f) => f.endsWith('.passing.tape')).map((f) => f.replace('.passing.tape', ''));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-explore-'));

// The faults an example's race needs (as its README says), and its own oracle.
const FAULTS = { 'double-charge': 'retries', 'retry-backoff': 'aborts' };

function explore(name, args) {
  const out = path.join(dir, `${name}-${Math.random().toString(36).slice(2)}.tape`);
  const faults = FAULTS[name] ? ['--faults', FAULTS[name]] : [];
  const run = spawnSync(process.execPath, [CLI, 'explore', `recordings/examples/${name}.passing.tape`, '--until', `js:examples/${name}/oracle.mjs`, ...faults, '--json', '--out', out, ...args], { cwd: ROOT, encoding: 'utf8' });
  if (run.status !== 0 && run.status !== 1) throw new Error(`explore ${name} exited ${run.status}: ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').pop());
}

/** CPU seconds (user and system) of this process's children that have ended: Linux's /proc/self/stat. */
function childrenCpuSeconds() {
  const fields = fs.readFileSync('/proc/self/stat', 'utf8').replace(/^.*\) /, '').split(' ');
  // After the command name: cutime and cstime are fields 16 and 17 of the whole line, in clock ticks (100 a second).
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const rows = [];
try {
  for (const name of EXAMPLES) {
    const runs = [];
    for (let seed = 1; seed <= SEEDS; seed++) {
      const r = explore(name, ['--seed', String(seed)]);
      runs.push(r.found ? r.runs : Infinity);
    }
    // Throughput: a search that finds nothing runs all its replays (the fixed code). Whole
    // command, start-up and all; explore's own figure counts the search alone.
    // Per CPU-second as well: on a shared machine the wall rate says how busy the machine was,
    // the CPU rate what one core does.
    const fixed = (jobs) => {
      const started = Date.now();
      const cpu = childrenCpuSeconds();
      const r = explore(name, ['--runs', String(FIXED_RUNS), '--jobs', String(jobs), '--', 'node', `examples/${name}/server.fixed.mjs`]);
      const perCpuSecond = r.runs / (childrenCpuSeconds() - cpu);
      return { runsPerSecond: r.runs / ((Date.now() - started) / 1000), search: r.runsPerSecond, perCpuSecond: Math.round(perCpuSecond * 10) / 10, found: r.found };
    };
    const one = fixed(1);
    const two = fixed(2);
    rows.push({ example: name, seeds: SEEDS, found: runs.filter(Number.isFinite).length, medianRuns: median(runs), maxRuns: Math.max(...runs), runsPerSecond1Job: Math.round(one.runsPerSecond * 10) / 10, runsPerSecond2Jobs: Math.round(two.runsPerSecond * 10) / 10, searchRunsPerSecond1Job: one.search, searchRunsPerSecond2Jobs: two.search, runsPerCpuSecond: one.perCpuSecond, fixedFound: one.found || two.found });
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
console.log(`example          seeds  found  median runs  max runs  runs/s, 1 job (search)  runs/s, 2 jobs (search)  runs per CPU-second   [${FIXED_RUNS} runs of the fixed code]`);
for (const r of rows) {
  const rate = (whole, search) => `${whole} (${search})`.padStart(22);
  console.log(`${r.example.padEnd(16)} ${String(r.seeds).padStart(5)}  ${String(r.found).padStart(5)}  ${String(r.medianRuns).padStart(11)}  ${String(r.maxRuns).padStart(8)}  ${rate(r.runsPerSecond1Job, r.searchRunsPerSecond1Job)}  ${rate(r.runsPerSecond2Jobs, r.searchRunsPerSecond2Jobs).padStart(23)}  ${String(r.runsPerCpuSecond).padStart(19)}`);
}
console.log(JSON.stringify({ bench: 'explore', node: process.version, cpus: os.cpus().length, load: os.loadavg()[0], rows }));

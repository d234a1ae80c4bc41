#!/usr/bin/env node
// Benchmark of `looptape inspect` on a synthetic recording of about a million events:
// the time to the first frame (open, summaries, first render) and the time from a key
// to the frame it produces, per kind of step. Prints a table, then one JSON line.
//   node bench/tui.mjs [--events N] [--steps N] [--fresh] [--json]
// Needs the packages built (pnpm build). The recording is cached in the OS temp folder.
import { execFileSync, spawnSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { RecordingReader } from '../packages/recording/dist/index.js';
import { runInspect } from '../packages/tui/dist/index.js';
import { cachedRecording } from './tui-recording.mjs';

const { values } = parseArgs({ options: { events: { type: 'string', default: '1000000' }, steps: { type: 'string', default: '40' }, fresh: { type: 'boolean' }, json: { type: 'boolean' } } });
const EVENTS = Number(values.events);
const STEPS = Number(values.steps);

/** A terminal for Ink: a size, raw mode, and a way to wait for the next frame. */
class Terminal extends EventEmitter {
  isTTY = true;
  columns = 100;
  rows = 30;
  screen = '';
  write(chunk, ...rest) {
    // Ink also writes bits that are not frames (cursor on and off): a frame has the cursor row.
    if (String(chunk).includes('▶')) this.screen = String(chunk);
    rest.find((r) => typeof r === 'function')?.();
    this.emit('frame', this.screen);
    return true;
  }
  nextFrame() {
    return new Promise((resolve) => {
      const onFrame = (text) => {
        if (!text.includes('▶')) return;
        this.off('frame', onFrame);
        // Taken as the frame is written, before anything else runs.
        this.cpuAtFrame = process.cpuUsage();
        resolve(performance.now());
      };
      this.on('frame', onFrame);
    });
  }
}

class Keyboard extends EventEmitter {
  isTTY = true;
  queue = [];
  setRawMode() {}
  setEncoding() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
  read() {
    return this.queue.shift() ?? null;
  }
  press(key) {
    this.queue.push(key);
    this.emit('readable');
  }
}

const STEP_KEYS = [
  ['l', 'next event'], ['h', 'previous event'], ['d', 'next delivery'], ['D', 'previous delivery'],
  ['f', 'next finding'], ['e', 'next error'], ['j', 'tree: next row'], ['>', 'end'], ['<', 'start'],
];

function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { n: sorted.length, p50: round(at(0.5)), p95: round(at(0.95)), max: round(sorted[sorted.length - 1]) };
}

/** When the screen first satisfies the test (checked on every frame). */
function until(terminal, test) {
  if (test(terminal.screen)) return Promise.resolve(performance.now());
  return new Promise((resolve) => {
    const onFrame = (text) => {
      if (!text.includes('▶') || !test(text)) return;
      terminal.off('frame', onFrame);
      resolve(performance.now());
    };
    terminal.on('frame', onFrame);
  });
}

const cpuMs = (usage) => (usage.user + usage.system) / 1000;
const round = (ms) => Math.round(ms * 10) / 10;
const idle = (ms) => new Promise((r) => setTimeout(r, ms));

async function main() {
  const { file, generatedMs } = cachedRecording(EVENTS, values.fresh);
  const terminal = new Terminal();
  const keyboard = new Keyboard();
  const firstFrame = terminal.nextFrame();
  const startCpu = process.cpuUsage();
  const start = performance.now();
  const reader = RecordingReader.open(file);
  const done = runInspect({ reader, stdout: terminal, stdin: keyboard, stderr: terminal, env: { NO_COLOR: '1' } });
  const firstFrameMs = (await firstFrame) - start;
  const firstFrameCpuMs = cpuMs(terminal.cpuAtFrame) - cpuMs(startCpu);
  const events = reader.lastSeq();
  // The task tree and the findings are read in worker threads; the steps are measured after,
  // on a quiet process.
  const treeReadyMs = (await until(terminal, (screen) => !screen.includes('loading…'))) - start;
  const findingsReadyMs = (await until(terminal, (screen) => !screen.includes('analysing'))) - start;
  const steps = {};
  const cpuSamples = [];
  for (const [key, name] of STEP_KEYS) {
    const samples = [];
    for (let i = 0; i < STEPS; i++) {
      // Ink draws at most 30 frames a second: wait out its throttle so each key gets a frame of its own.
      await idle(40);
      const frame = terminal.nextFrame();
      const cpu = process.cpuUsage();
      const pressed = performance.now();
      keyboard.press(key);
      samples.push((await Promise.race([frame, idle(2000).then(() => pressed + 2000)])) - pressed);
      cpuSamples.push(cpuMs(terminal.cpuAtFrame) - cpuMs(cpu));
    }
    // CPU time says what a step costs whatever else the machine runs; wall time is what a user waits.
    steps[name] = { key, ...stats(samples), cpuP50: stats(cpuSamples.splice(0)).p50 };
  }
  keyboard.press('q');
  await done;
  reader.close();
  const firstFrameCliMs = await firstFrameInTmux(file);
  const result = {
    bench: 'tui', file, events, generatedMs: generatedMs && round(generatedMs), terminal: '100x30',
    loadAverage: os.loadavg().map((l) => round(l)), cpus: os.cpus().length,
    firstFrameMs: round(firstFrameMs), firstFrameCpuMs: round(firstFrameCpuMs), firstFrameCliMs, treeReadyMs: round(treeReadyMs), findingsReadyMs: round(findingsReadyMs), steps,
  };
  if (!values.json) printTable(result);
  console.log(JSON.stringify(result));
}

/**
 * The first frame as a user sees it: the whole `looptape inspect` command (node start-up,
 * the CLI, the recording) in a real terminal, tmux at 100x30. Null without tmux.
 */
async function firstFrameInTmux(file) {
  if (spawnSync('tmux', ['-V']).status !== 0) return null;
  const session = `looptape-bench-tui-${process.pid}`;
  const bin = new URL('../packages/cli/dist/bin.js', import.meta.url).pathname;
  const command = `env NO_COLOR=1 ${JSON.stringify(process.execPath)} ${JSON.stringify(bin)} inspect ${JSON.stringify(file)}`;
  const start = performance.now();
  execFileSync('tmux', ['new-session', '-d', '-s', session, '-x', '100', '-y', '30', command]);
  try {
    while (performance.now() - start < 10_000) {
      if (execFileSync('tmux', ['capture-pane', '-p', '-t', session], { encoding: 'utf8' }).includes('▶')) return round(performance.now() - start);
      await idle(5);
    }
    return null;
  } finally {
    spawnSync('tmux', ['kill-session', '-t', session]);
  }
}

function printTable(r) {
  console.log(`looptape inspect on ${r.events.toLocaleString('en')} events (${r.file}), terminal ${r.terminal}`);
  console.log(`  machine: ${r.cpus} CPUs, load average ${r.loadAverage.join(' ')} (wall times grow with the load; CPU times do not)`);
  if (r.generatedMs) console.log(`  recording generated in ${(r.generatedMs / 1000).toFixed(1)} s`);
  console.log(`  first frame        ${r.firstFrameMs.toFixed(1).padStart(8)} ms   (target < 1000 ms; from opening the file; ${r.firstFrameCpuMs.toFixed(0)} ms CPU)`);
  if (r.firstFrameCliMs !== null) console.log(`  first frame, CLI   ${r.firstFrameCliMs.toFixed(1).padStart(8)} ms   (looptape inspect in tmux, from its start)`);
  console.log(`  task tree shown    ${r.treeReadyMs.toFixed(1).padStart(8)} ms   (read in a worker thread)`);
  console.log(`  findings shown     ${r.findingsReadyMs.toFixed(1).padStart(8)} ms   (analysed in a worker thread)`);
  console.log(`  key → frame          p50 ms    p95 ms    max ms   CPU p50 ms   (target < 50 ms)`);
  for (const [name, s] of Object.entries(r.steps)) {
    console.log(`  ${`${s.key}  ${name}`.padEnd(20)}${String(s.p50).padStart(8)}${String(s.p95).padStart(10)}${String(s.max).padStart(10)}${String(s.cpuP50).padStart(13)}`);
  }
}

await main();

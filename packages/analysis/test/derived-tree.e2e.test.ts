/**
 * A lean recording's task tree, derived by replaying it, is the tree `record --tree` records:
 * for the same run, `report` finds the same findings at the same task paths. The same run: each
 * example is recorded with --tree, and its lean twin is the same file without the task tree
 * (what a lean recording of that run holds: the events replay needs, nothing of the hooks).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RecordingReader, RecordingWriter, RICH_KINDS, type FileContent } from '@looptape/recording';
import type { Finding } from '../src/findings.js';
import { BIN, looptape, report, ROOT, TMP } from './support/looptape.js';
// @ts-expect-error: plain JavaScript, no types
import { EXAMPLES, runExample } from '../../../examples/harness.mjs';

afterAll(() => fs.rmSync(TMP, { recursive: true, force: true }));

/** The lean twin of a --tree recording: its events but the task kinds, and its files, under lean meta. */
function leanTwin(file: string, out: string): void {
  const reader = RecordingReader.open(file);
  const writer = RecordingWriter.create(out, { force: true });
  try {
    const events = [...reader.events({ kinds: RICH_KINDS.filter((k) => !k.startsWith('task.')) })];
    const files: FileContent[] = [];
    for (const e of events) {
      const hash = (e as { hash?: string }).hash;
      const content = hash ? reader.file(hash) : undefined;
      if (hash && content && !files.some((f) => f.hash === hash)) files.push({ hash, size: content.size, stored: content.stored, data: content.data });
    }
    const { exitCode, signal, durationMs, formatVersion, minReaderVersion, complete, ...meta } = reader.meta;
    writer.writeMeta({ ...meta, promises: false });
    writer.write(events, [], [], files);
    writer.close({ exitCode, signal, durationMs });
  } finally {
    reader.close();
  }
}

/**
 * What must agree: the finding, its request, its line and its task path (ids and seqs differ by
 * file). In a path, how many anonymous promises a run folds is not compared: replay's stand-ins
 * for Node's HTTP client (a response body's stream) make their own, one more or fewer than
 * Node's (see the README's "What replay does not do"). Every named step must agree.
 */
function shape(f: Finding) {
  return { kind: f.kind, severity: f.severity, request: f.requestLabel, location: f.location, path: f.taskPath?.replace(/PROMISE ×\d+/g, 'PROMISE ×n') };
}

describe('a lean recording\'s derived tree', () => {
  it.each(EXAMPLES as string[])('%s: report finds what it finds on the --tree recording of the same run', async (name) => {
    const tree = path.join(TMP, `${name}.tree.tape`);
    const lean = path.join(TMP, `${name}.lean.tape`);
    const app = [process.execPath, BIN, 'record', '--tree', '--force', '--out', tree, '--', process.execPath, path.join(ROOT, 'examples', name, 'server.mjs')];
    await runExample(name, { app, cwd: ROOT });
    leanTwin(tree, lean);
    const first = await looptape(['report', lean, '--json'], 90_000);
    expect(first.stderr).toMatch(/was recorded lean: derived its task tree by replaying it \(\d+ ms\), kept in the file as derived data\n$/);
    const derived = JSON.parse(first.stdout) as { findings: Finding[] };
    const live = (await report(tree)).report;
    expect(derived.findings.map(shape)).toEqual(live.findings.map(shape));
    // Later reads take the kept tree: nothing is replayed again.
    const again = await looptape(['report', lean, '--json']);
    expect(again.stderr).toBe('');
    expect(JSON.parse(again.stdout)).toEqual(derived);
  }, 180_000);
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RecordingReader, type RecordingMeta } from '@looptape/recording';
import { RecordingBuilder } from '@looptape/test-support';
import { analyze } from '../../src/analyze.js';
import type { AnalyzeOptions } from '../../src/detect/context.js';
import type { Report } from '../../src/findings.js';

/** Builds a recording in a temporary folder with `build`, analyzes it, and removes it. */
export function analyzeBuilt(build: (b: RecordingBuilder) => void, options?: AnalyzeOptions, meta?: Partial<RecordingMeta>): Report {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'looptape-analysis-'));
  try {
    const builder = new RecordingBuilder(path.join(dir, 'x.tape'), meta);
    build(builder);
    const reader = RecordingReader.open(builder.close());
    try {
      return analyze(reader, options);
    } finally {
      reader.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

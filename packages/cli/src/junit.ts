import path from 'node:path';
import type { TestOutcome } from '@looptape/explorer';
import junit, { type Builder } from 'junit-report-builder';

// The package is CommonJS whose module.exports is the builder itself; its typings describe an ES default.
const factory = junit as unknown as Builder;

/** The outcomes as JUnit XML (one suite, one case per recording), for CI systems. */
export function junitReport(outcomes: readonly TestOutcome[], cwd: string): string {
  const builder = factory.newBuilder();
  const suite = builder.testSuite().name('looptape test');
  for (const o of outcomes) {
    const test = suite.testCase().className('looptape').name(path.relative(cwd, o.file) || o.file).time(o.durationMs / 1000);
    if (o.status === 'fail') test.failure(o.reason ?? 'an oracle tripped', 'oracle');
    else if (o.status === 'error') test.error(o.reason ?? 'cannot be tested', 'untestable');
  }
  return builder.build();
}

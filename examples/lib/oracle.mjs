// The examples' bugs as `looptape explore --until js:…` oracles: the run object of a replay
// judged by the same check the harness applies to a live run (bugShown).
import { bugShown } from '../harness.mjs';

/** A js: oracle for example `name`: true when the replayed run shows its bug. */
export function exampleOracle(name) {
  return (run) => {
    const traffic = run.responses.map((r) => ({ method: r.method, path: r.url, status: r.aborted ? null : r.status, body: r.body }));
    return bugShown(name, { traffic, appStdout: run.stdout, appStderr: run.stderr, appExitCode: run.exitCode }) ? `${name}: its bug shows` : false;
  };
}

#!/usr/bin/env node
import { main } from './main.js';

// `looptape events FILE | head`: a closed pipe ends the output, it is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

// `pnpm looptape …` runs from the repository root; pnpm says where it was called from.
const cwd = process.env.npm_lifecycle_event === 'looptape' && process.env.INIT_CWD ? process.env.INIT_CWD : process.cwd();

main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  cwd,
  env: process.env,
}).then((code) => {
  process.exitCode = code;
});

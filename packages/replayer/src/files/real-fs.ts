import fs from 'node:fs';

/**
 * Node's file functions as they were when replay loaded, before it serves the program's calls
 * from the recording: what replay itself reads (a file kept by hash only) must not be served.
 */
export const realFs = {
  readFileSync: fs.readFileSync,
  existsSync: fs.existsSync,
  statSync: fs.statSync,
  lstatSync: fs.lstatSync,
  readdirSync: fs.readdirSync,
};

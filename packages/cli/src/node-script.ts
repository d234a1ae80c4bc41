import fs from 'node:fs';
import path from 'node:path';

// What a node command line runs is read in one place, shared with replay: @looptape/explorer.
export { isNode, nodeScript } from '@looptape/explorer';

/** Whether Node would find the script from `cwd`: as named, with an extension it adds, or a folder. */
export function scriptExists(script: string, cwd: string): boolean {
  const file = path.resolve(cwd, script);
  return ['', '.js', '.mjs', '.cjs', '.json', '.node'].some((ext) => fs.existsSync(file + ext));
}

import fs from 'node:fs';
import path from 'node:path';

/** Whether the command starts Node.js itself (`node`, `/usr/bin/node`, `node.exe`). */
export function isNode(argv: readonly string[]): boolean {
  return /^node(\.exe)?$/.test(path.basename(argv[0] ?? ''));
}

/** The script of `node [flags] script …`, or undefined (`node -e`, or not node). */
export function nodeScript(argv: readonly string[]): string | undefined {
  if (!isNode(argv)) return undefined;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    if (['-e', '--eval', '-p', '--print', '-', '--test', '--run'].includes(a)) return undefined;
    if (['-r', '--require', '--import', '--loader', '--experimental-loader'].includes(a)) {
      i++;
      continue;
    }
    if (!a.startsWith('-')) return a;
  }
  return undefined;
}

/** Whether Node would find the script from `cwd`: as named, with an extension it adds, or a folder. */
export function scriptExists(script: string, cwd: string): boolean {
  const file = path.resolve(cwd, script);
  return ['', '.js', '.mjs', '.cjs', '.json', '.node'].some((ext) => fs.existsSync(file + ext));
}

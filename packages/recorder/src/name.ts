import path from 'node:path';

/** `recordings/<program>-<YYYYMMDD-HHMMSS>.tape`, for the program a command line runs. */
export function defaultRecordingName(argv: readonly string[], now = new Date()): string {
  const script = argv.slice(1).find((a) => !a.startsWith('-')) ?? argv[0] ?? 'node';
  const program = path.basename(script).replace(/\.[cm]?[jt]s$/, '');
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
  return path.join('recordings', `${program}-${stamp}.tape`);
}

/** The recorder's own preload on a command line: replay puts its own in its place. */
const RECORDER = /(^|[\\/])recorder[\\/](dist|src)[\\/]register\.[mc]?[jt]s$|looptape[^\s]*register/;

/**
 * The command line that started this process, as replay can run it again: Node's own flags
 * (`-e CODE`, `--import tsx`…) are in execArgv, not argv — without them `node -e CODE` would be
 * remembered as a bare `node`. The recorder's own preload is left out.
 */
export function commandLine(argv: readonly string[] = process.argv, execArgv: readonly string[] = process.execArgv): string[] {
  const flags: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const flag = execArgv[i];
    if (['--import', '--require', '-r'].includes(flag) && RECORDER.test(execArgv[i + 1] ?? '')) {
      i++;
      continue;
    }
    const joined = /^--(import|require)=(.*)$/.exec(flag);
    if (joined && RECORDER.test(joined[2])) continue;
    flags.push(flag);
  }
  return ['node', ...flags, ...argv.slice(1)];
}

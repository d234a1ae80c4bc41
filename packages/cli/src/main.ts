import { LOOPTAPE_VERSION, LooptapeError, formatError } from '@looptape/recording';
import type { Command, CommandContext } from './command.js';
import { println } from './command.js';
import { commands } from './commands/index.js';
import { BUG_REPORT, EXIT, UserError } from './errors.js';

const USAGE = `usage: looptape <command> [options]
       looptape help <command>     (or looptape <command> --help): a command's options, exit codes, an example
       looptape --version          the version of looptape

commands:
`;

const EXIT_CODES = `exit codes: 0 ok; 1 divergence (replay) or findings (report); 2 a mistake in what was asked
(bad flag, missing, damaged or foreign file); 70 a bug in looptape. record exits with the program's own code.

example: looptape record -- node server.js && looptape ls`;

function help(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return `${USAGE}${commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}\n\n${EXIT_CODES}`;
}

/** Runs one looptape command; resolves to the exit code. The only place errors become messages. */
export async function main(argv: string[], context: CommandContext): Promise<number> {
  const [name, ...args] = argv;
  if (name === 'help' && args.length > 0) return helpFor(args[0], context);
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    println(name ? context.stdout : context.stderr, help());
    return name ? EXIT.ok : EXIT.usage;
  }
  if (name === '--version') {
    println(context.stdout, LOOPTAPE_VERSION);
    return EXIT.ok;
  }
  const command: Command | undefined = commands.find((c) => c.name === name);
  if (!command) {
    println(context.stderr, `looptape: unknown command '${name}' (looptape --help lists them)`);
    return EXIT.usage;
  }
  // --help anywhere before `--` (after it, the flags are the recorded program's).
  const own = args.includes('--') ? args.slice(0, args.indexOf('--')) : args;
  if (own.includes('--help') || own.includes('-h')) {
    println(context.stdout, command.usage);
    return EXIT.ok;
  }
  try {
    return await command.run(args, context);
  } catch (error) {
    return report(error, context);
  }
}

/** `looptape help CMD`: the same text as `looptape CMD --help`. */
function helpFor(name: string, context: CommandContext): number {
  const command = commands.find((c) => c.name === name);
  if (!command) {
    println(context.stderr, `looptape: no command '${name}' (looptape --help lists them)`);
    return EXIT.usage;
  }
  println(context.stdout, command.usage);
  return EXIT.ok;
}

function report(error: unknown, context: CommandContext): number {
  if (error instanceof LooptapeError) {
    println(context.stderr, `looptape: ${formatError(error)}`);
    return error instanceof UserError ? error.exitCode : EXIT.usage;
  }
  const e = error as Error & { code?: string };
  // SQLite's "database disk image is malformed" (or "file is not a database") reached from a
  // path that did not name the part it read: still a damaged file, never a bug.
  if (e?.name === 'SqliteError' && /^SQLITE_(CORRUPT|NOTADB)/.test(e.code ?? '')) {
    println(context.stderr, `looptape: the recording is damaged: ${e.message} (looptape verify FILE names the damaged part)`);
    return EXIT.usage;
  }
  println(context.stderr, `looptape: internal error: ${e?.message ?? String(error)}`);
  if (context.env.LOOPTAPE_DEBUG) println(context.stderr, e?.stack ?? '');
  println(context.stderr, `looptape: this is a bug in looptape: ${BUG_REPORT}`);
  return EXIT.internal;
}

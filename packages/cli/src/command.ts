import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UserError } from './errors.js';

export interface CommandContext {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number; rows?: number };
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export interface Command {
  name: string;
  /** One line for `looptape --help`. */
  summary: string;
  /** The full text of `looptape NAME --help`. */
  usage: string;
  /** Resolves to the exit code. */
  run(args: string[], context: CommandContext): Promise<number>;
}

type Options = NonNullable<ParseArgsConfig['options']>;

export interface ParsedArgs {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

/** util.parseArgs with errors turned into one-line user errors. */
export function parse(args: string[], options: Options, usage: string, allowPositionals = true): ParsedArgs {
  try {
    return parseArgs({ args: negativeValues(args, options), options, allowPositionals, strict: true }) as ParsedArgs;
  } catch (error) {
    const message = (error as Error).message.split('\n')[0].replace(/\. To specify a positional argument.*$/, '');
    throw new UserError(message, `usage: ${usage.split('\n')[0]}`);
  }
}

/**
 * `--slow -5`: util.parseArgs takes `-5` for an option and says "argument is ambiguous"; joined
 * as `--slow=-5`, the command itself says what is wrong with the value.
 */
function negativeValues(args: string[], options: Options): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const name = args[i].startsWith('--') ? args[i].slice(2) : undefined;
    if (name && options[name]?.type === 'string' && /^-\d/.test(args[i + 1] ?? '')) out.push(`${args[i]}=${args[++i]}`);
    else out.push(args[i]);
  }
  return out;
}

/** Writes a line to a stream. */
export function println(stream: NodeJS.WritableStream, text = ''): void {
  stream.write(`${text}\n`);
}

import fs from 'node:fs';
import { ConfigError } from '../errors.js';
import { FINDING_KINDS, type FindingKind } from '../findings.js';

export const CONFIG_FILE = 'looptape.config.json';

/**
 * `looptape.config.json`, shaped like a linter's: `rules` turns kinds off everywhere,
 * `overrides` turns them off for findings located in matching files (globs relative to the
 * program's folder: `*` within a folder, `**` across folders).
 *   { "rules": { "rogue-loop": "off" }, "overrides": [{ "files": ["jobs/**"], "rules": { "orphaned-task": "off" } }] }
 */
export interface SuppressionConfig {
  rules: Partial<Record<FindingKind, 'off' | 'on'>>;
  overrides: Array<{ files: string[]; rules: Partial<Record<FindingKind, 'off' | 'on'>> }>;
}

/** Reads and checks a config file; every mistake is a ConfigError naming the file and the field. */
export function loadConfig(file: string): SuppressionConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError(file, (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `not valid JSON (${(err as Error).message})`);
  }
  if (!isObject(raw)) throw new ConfigError(file, 'expected a JSON object');
  const overrides = raw.overrides ?? [];
  if (!Array.isArray(overrides)) throw new ConfigError(file, '"overrides" must be a list');
  return {
    rules: rules(file, raw.rules ?? {}, 'rules'),
    overrides: overrides.map((o: unknown, i) => {
      const where = `overrides[${i}]`;
      if (!isObject(o) || !Array.isArray(o.files) || !o.files.every((f) => typeof f === 'string')) throw new ConfigError(file, `${where} needs "files": a list of globs`);
      return { files: o.files as string[], rules: rules(file, o.rules ?? {}, `${where}.rules`) };
    }),
  };
}

function rules(file: string, value: unknown, where: string): SuppressionConfig['rules'] {
  if (!isObject(value)) throw new ConfigError(file, `"${where}" must be an object of kind: "off"`);
  for (const [kind, setting] of Object.entries(value)) {
    if (!FINDING_KINDS.includes(kind as FindingKind)) throw new ConfigError(file, `${where}: unknown finding kind '${kind}' (one of ${FINDING_KINDS.join(', ')})`);
    if (setting !== 'off' && setting !== 'on') throw new ConfigError(file, `${where}.${kind}: "off" or "on", not ${JSON.stringify(setting)}`);
  }
  return value as SuppressionConfig['rules'];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A glob (`*`, `**`, `?`) as a regular expression over a /-separated relative path. */
export function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      out += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

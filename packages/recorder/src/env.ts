import type { Take } from './nondet.js';
import type { Patches } from './patches.js';
import { callerInfo } from './stack.js';

/**
 * The environment is an input: the first read of each variable by the program is recorded
 * (source `process.env.NAME`, null when unset), and replay hands back the recorded value.
 * Reads by Node's internals pass through and are not remembered.
 */
export function patchEnv(patches: Patches, take: Take): void {
  const real = process.env;
  const read = new Map<string, string | undefined>();
  const handler: ProxyHandler<NodeJS.ProcessEnv> = {
    get: function envGet(target, name) {
      if (typeof name !== 'string') return Reflect.get(target, name);
      if (read.has(name)) return read.get(name);
      if (callerInfo(envGet, 3).internal) return target[name];
      const value = take(`process.env.${name}`, envGet, () => target[name] ?? null) as string | null;
      read.set(name, value ?? undefined);
      return value ?? undefined;
    },
    set(target, name, value) {
      if (typeof name === 'string') read.set(name, String(value));
      return Reflect.set(target, name, value);
    },
    deleteProperty(target, name) {
      if (typeof name === 'string') read.set(name, undefined);
      return Reflect.deleteProperty(target, name);
    },
  };
  patches.replace(process, 'env', () => new Proxy(real, handler));
}

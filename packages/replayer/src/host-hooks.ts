/**
 * Module hooks of a replay host (host.ts): each run loads the program afresh. A module loaded
 * for run N carries `?looptape-run=N` in its URL, and so do the modules it imports, so that
 * the run gets new instances of all of them; `import.meta.url` is given back without the mark,
 * so that the program sees its own URL (the `import.meta.url === pathToFileURL(argv[1])` idiom).
 */
import type { InitializeHook, LoadHook, ResolveHook } from 'node:module';

const MARK = /[?&]looptape-run=\d+$/;
/** What the program's entry calls when its own code starts: its imports are loaded, the schedule may begin. */
export const ENTERED = 'looptape.host.entered';
let entry = '';

export const initialize: InitializeHook<{ entry: string }> = (data) => {
  entry = data.entry;
};

export const resolve: ResolveHook = async (specifier, context, next) => {
  const resolved = await next(specifier, context);
  const mark = context.parentURL ? MARK.exec(context.parentURL)?.[0] : undefined;
  if (!mark || !resolved.url.startsWith('file:') || MARK.test(resolved.url)) return resolved;
  return { ...resolved, url: `${resolved.url}${resolved.url.includes('?') ? '&' : '?'}${mark.slice(1)}` };
};

export const load: LoadHook = async (url, context, next) => {
  const loaded = await next(url, context);
  if (loaded.format !== 'module' || !MARK.test(url) || loaded.source == null) return loaded;
  const source = typeof loaded.source === 'string' ? loaded.source : Buffer.from(loaded.source as Uint8Array).toString('utf8');
  // On the first line, so that line numbers stay as written (after a #! line, which must stay first).
  const entered = url.replace(MARK, '') === entry ? `globalThis[Symbol.for('${ENTERED}')]?.();` : '';
  const prologue = `import.meta.url = import.meta.url.replace(${MARK}, '');${entered}`;
  if (!source.startsWith('#!')) return { ...loaded, source: `${prologue}${source}` };
  const eol = source.indexOf('\n');
  const marked = eol < 0 ? `${source}\n${prologue}` : `${source.slice(0, eol + 1)}${prologue}${source.slice(eol + 1)}`;
  return { ...loaded, source: marked };
};

import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** looptape's compiled or source files (not programs that happen to live in the repo). */
const OWN_CODE = new RegExp(`^(file://)?${escape(PACKAGES)}/[^/]+/(dist|src)/`);
/** Dependencies looptape brings into the program's process. */
const OWN_DEPS = /\/node_modules\/(@mswjs\/interceptors|@open-draft\/[^/]+|strict-event-emitter|outvariant|is-node-process|better-sqlite3|bindings|@sinonjs\/[^/]+)\//;

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Files that are looptape's own or its dependencies': never the program's code. */
export function isOwnFile(file: string): boolean {
  return OWN_CODE.test(file) || OWN_DEPS.test(file);
}

export interface CallerInfo {
  /**
   * file:line:column of the first frame of the program's own code (relative to cwd when inside it);
   * may be missing when the nearest caller is Node's internals (then `internal` is what counts).
   */
  site?: string;
  /** The nearest caller outside looptape is Node's internals (e.g. undici), not the program. */
  internal: boolean;
  /** Name of the nearest caller outside looptape, when it has one. */
  fn?: string;
}

const cwd = process.cwd();

/** While set: the caller every callerInfo() reports (a call looptape makes on the program's behalf). */
let standIn: CallerInfo | undefined;

/**
 * Runs `fn` as the program's own call from `site`: what it sets (a timer) is recorded as the
 * program's. For work Node does inside for the program, where the stack shows only Node.
 */
export function asProgramCall<T>(site: string | undefined, fn: () => T): T {
  const before = standIn;
  standIn = { site, internal: false };
  try {
    return fn();
  } finally {
    standIn = before;
  }
}

/**
 * Who called: one cheap structured stack capture (CallSite objects, no string formatting).
 * `depth` bounds the frames looked at, so hot paths stay cheap.
 */
export function callerInfo(below: Function, depth = 8): CallerInfo {
  if (standIn) return standIn;
  // Most callers are found in the first two frames: look there first, deeper only when needed.
  const near = Math.min(depth, 2);
  const first = near < depth ? scan(callSites(below, near), false) : undefined;
  return first ?? scan(callSites(below, depth), true)!;
}

/** What the frames say of the caller; undefined when they end before saying it and `last` is false. */
function scan(frames: NodeJS.CallSite[], last: boolean): CallerInfo | undefined {
  let internal: boolean | undefined;
  let fn: string | undefined;
  for (const frame of frames) {
    const file = frame.getFileName() ?? '';
    if (!file) continue;
    if (isOwnFile(file)) {
      // The interceptors act for looptape: what they call is looptape's work.
      if (internal === undefined && OWN_DEPS.test(file)) internal = true;
      continue;
    }
    if (internal === undefined) {
      internal = file.startsWith('node:');
      fn = frame.getFunctionName() ?? undefined;
    }
    if (file.startsWith('node:')) continue;
    return { site: formatSite(file, frame.getLineNumber(), frame.getColumnNumber()), internal, fn };
  }
  // Node's internals called: who called them is not needed, so no deeper look.
  if (!last && internal === true) return { internal, fn };
  if (!last) return undefined;
  // Only looptape's own frames (or Node's): looptape's own call.
  return { internal: internal ?? true, fn };
}

/** User frames of an error-like stack string, for task.stack and error reports. */
export function formatSite(file: string, line: number | null, column: number | null): string {
  let shown = shownFiles.get(file);
  if (shown === undefined) {
    const plain = file.startsWith('file://') ? fileURLToPath(file) : file;
    shown = plain.startsWith(cwd + path.sep) ? path.relative(cwd, plain) : plain;
    shownFiles.set(file, shown);
  }
  return `${shown}:${line ?? 0}:${column ?? 0}`;
}

/** One function for every capture: a new closure per call cost a third more. */
const asCallSites = (_: Error, sites: NodeJS.CallSite[]) => sites;

/**
 * The stack above `below` as V8's CallSite objects (no string formatting), at most `depth`
 * frames; the program's own stack settings are left as they were.
 */
export function callSites(below: Function | undefined, depth: number): NodeJS.CallSite[] {
  const prepare = Error.prepareStackTrace;
  const limit = Error.stackTraceLimit;
  Error.prepareStackTrace = asCallSites;
  Error.stackTraceLimit = depth;
  const holder: { stack?: NodeJS.CallSite[] } = {};
  Error.captureStackTrace(holder, below);
  // Read before restoring: V8 formats the stack on first access, with the prepare in force then.
  const sites = holder.stack ?? [];
  Error.prepareStackTrace = prepare;
  Error.stackTraceLimit = limit;
  return sites;
}

/** File names as sites show them, by the name V8 gives (timers and draws hit the same few files). */
const shownFiles = new Map<string, string>();

/** The program's own frames (no node: internals, no looptape), at most `max`. */
export function userFrames(below: Function | undefined, max = 10): string[] {
  const frames = callSites(below, max + 10);
  const out: string[] = [];
  for (const frame of frames) {
    const file = frame.getFileName() ?? '';
    if (!file || file.startsWith('node:') || isOwnFile(file)) continue;
    const name = frame.getFunctionName();
    out.push(`${name ? `${name} ` : ''}${formatSite(file, frame.getLineNumber(), frame.getColumnNumber())}`);
    if (out.length === max) break;
  }
  return out;
}

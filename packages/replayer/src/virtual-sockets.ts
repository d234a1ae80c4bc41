import net from 'node:net';
import tls from 'node:tls';
import { decodeBody, questionLabel, redactSentChunk, statementKey, type LoopEvent, type NetData, type NetError } from '@looptape/recording';
import { currentScope, openedByHttpClient, targetOf, toOwnServer, type Patches } from '@looptape/recorder/capture';
import type { Divergence } from './divergence.js';
import { netConnections, netKey, Occurrences, splitId } from './keys.js';
import { placeholdersIn, ScramReplay } from './scram.js';

type AnyFn = (...args: any[]) => any;

// Captured before replay patches the globals: handing over a held part is looptape's own work.
const realSetImmediate = setImmediate;

/** What came to a recorded connection from outside after it was established, in order. */
interface Part {
  kind: 'data' | 'close' | 'error';
  event?: NetData | NetError;
  /** How many chunks the program had written on it before this part came: an answer comes after its question. */
  writesBefore: number;
  t: number;
  scope: number | null;
  /** What it answers, for explanations: the chunks written since the part before it. */
  question: string;
  seq: number;
  step: Step;
}

/** Chunks the program wrote in a row, and what came back before it wrote again. */
interface Step {
  writes: Buffer[];
  keys: string[];
  parts: Part[];
  /** Its place among the recording's answered steps (by its first part), across connections. */
  order: number;
  /** In this run: its answer (a part of it) was handed over. */
  answered: boolean;
}

interface RecordedConnection {
  connect?: { t: number; scope: number | null };
  /** Failed before it was established. */
  refused?: NetError;
  parts: Part[];
  /** What the program wrote, with passwords made alike (see alike()). */
  writes: Buffer[];
  steps: Step[];
}

interface LiveConnection {
  id: string;
  socket: net.Socket;
  recorded: RecordedConnection;
  connected: boolean;
  /** Parts handed over so far, and of them the recorded connection's own (in its order). */
  delivered: number;
  followed: number;
  writes: number;
  /** Written since the last part handed over: the question the next part answers. */
  asking: Buffer[];
  /**
   * Exploring, once the program wrote what this connection's recording does not have next:
   * answers come from recorded steps that ask the same (the same statement, other values).
   */
  answering?: Part[];
  scram: ScramReplay;
  /** The inbound request that wrote last on it: the one its next part answers. */
  scope: number | null;
  /** Parts delivered before the program wrote what they answer: handed over, in order, once it has. */
  held: Part[];
}

/** The next thing a live connection can be handed, as the scheduler sees it. */
export interface NextNet {
  key: string;
  occurrence: number;
  kind: 'connect' | 'data' | 'close' | 'error';
  chunk?: number;
  t: number;
  scope: number | null;
  /** For explanations: what the part answers. */
  what?: string;
}

/**
 * The outside world for the program's raw TCP and TLS client connections (database drivers,
 * caches): each socket it opens is matched with the recorded connection to the same address
 * (by occurrence) and never reaches the network. It connects, reads, ends or fails when the
 * scheduler delivers that; what the program writes is taken and dropped (the recorder's tap
 * compares it with the recording). Exploring (`onLeave`), a program whose writes leave its
 * connection's recording is answered from recorded steps that ask the same thing, as Outbound
 * answers a similar HTTP request; with none, the run has left the recording.
 */
export class VirtualSockets {
  private readonly recorded = new Map<string, RecordedConnection>();
  private readonly live = new Map<string, LiveConnection>();
  private readonly opened = new Occurrences();
  private readonly passwords: string[];
  private readonly steps: Step[] = [];

  constructor(events: readonly LoopEvent[], private readonly onUnrecorded: (d: Divergence) => void, private readonly onLeave?: (what: string) => void) {
    const ids = netConnections(events);
    this.passwords = placeholdersIn(events.filter((e) => e.kind === 'nondet'));
    const byNumber = new Map<number, RecordedConnection>();
    for (const [number, { key, occurrence }] of ids) {
      const connection: RecordedConnection = { parts: [], writes: [], steps: [] };
      byNumber.set(number, connection);
      this.recorded.set(`${key}#${occurrence}`, connection);
    }
    for (const e of events) {
      if (!e.kind.startsWith('net.')) continue;
      const c = byNumber.get((e as { connection: number }).connection);
      if (c) this.note(c, e);
    }
    for (const c of byNumber.values()) this.steps.push(...c.steps.filter((s) => s.parts.length > 0));
    this.steps.sort((a, b) => a.parts[0].seq - b.parts[0].seq).forEach((s, i) => (s.order = i));
  }

  private note(c: RecordedConnection, e: LoopEvent): void {
    let step = c.steps.at(-1);
    if (e.kind === 'net.connect') c.connect = { t: e.t, scope: e.scope };
    else if (e.kind === 'net.write') {
      const bytes = alike(decodeBody({ body: e.chunk, bodyEncoding: e.bodyEncoding }));
      if (!step || step.parts.length > 0) c.steps.push((step = newStep()));
      step.writes.push(bytes);
      step.keys.push(statementKey(bytes));
      c.writes.push(bytes);
    } else if (e.kind === 'net.error' && !c.connect) c.refused = e;
    else if (e.kind === 'net.data' || e.kind === 'net.error' || (e.kind === 'net.close' && !e.byProgram)) {
      if (!step) c.steps.push((step = newStep()));
      const kind = e.kind === 'net.data' ? 'data' : e.kind === 'net.error' ? 'error' : 'close';
      const part: Part = { kind, event: e.kind === 'net.close' ? undefined : e, writesBefore: c.writes.length, t: e.t, scope: e.scope, question: questionLabel(step.writes), seq: e.seq, step };
      c.parts.push(part);
      step.parts.push(part);
    }
  }

  install(patches: Patches): void {
    const self = this;
    patches.replace(net.Socket.prototype, 'connect', (original) => function (this: net.Socket, ...args: unknown[]) {
      if (openedByHttpClient() || toOwnServer(targetOf(args))) return (original as AnyFn).apply(this, args);
      return self.open(this, args);
    } as typeof original);
  }

  /** The program connects: the socket stays connecting until the scheduler delivers the connect. */
  private open(socket: net.Socket, args: unknown[]): net.Socket {
    const { host, port } = targetOf(args);
    const key = netKey(host, port);
    const id = `${key}#${this.opened.next(key)}`;
    const callback = args.find((a) => typeof a === 'function') ?? (Array.isArray(args[0]) ? args[0][1] : undefined);
    if (typeof callback === 'function') socket.once(socket instanceof tls.TLSSocket ? 'secureConnect' : 'connect', callback as AnyFn);
    virtualize(socket, host, port);
    const recorded = this.recorded.get(id);
    if (!recorded) {
      const what = `a connection to ${host}:${port}${id.endsWith('#1') ? '' : ` (its ${id.split('#')[1]}th there)`}`;
      if (this.onLeave) this.onLeave(`the program opened ${what}, which the recording does not have`);
      else this.onUnrecorded({ code: 'UNRECORDED_CONNECTION', message: `the program opened ${what}, which the recording does not have`, actual: { kind: 'net.connect', what: `${key}` } });
      return socket;
    }
    const live: LiveConnection = { id, socket, recorded, connected: false, delivered: 0, followed: 0, writes: 0, asking: [], scram: new ScramReplay(this.passwords), scope: currentScope(), held: [] };
    const self = this;
    const write = socket.write;
    socket.write = function (this: net.Socket, ...rest: unknown[]) {
      const chunk = rest[0];
      if ((typeof chunk === 'string' || chunk instanceof Uint8Array) && chunk.length > 0) self.wrote(live, Buffer.from(chunk as Uint8Array));
      return (write as AnyFn).apply(this, rest);
    } as typeof socket.write;
    this.live.set(id, live);
    return socket;
  }

  private wrote(c: LiveConnection, bytes: Buffer): void {
    c.writes++;
    c.scope = currentScope();
    c.scram.sent(bytes);
    const written = alike(bytes);
    c.asking.push(written);
    const ready: Part[] = [];
    while (c.held.length > 0 && c.writes >= c.held[0].writesBefore) ready.push(c.held.shift()!);
    if (ready.length > 0) realSetImmediate(() => ready.forEach((p) => this.handOver(c, p)));
    if (!this.onLeave) return;
    if (!c.answering && c.recorded.writes[c.writes - 1]?.equals(written)) return;
    c.answering ??= [];
    // The question so far: answered once a recorded step asked all of it, waited for while one begins with it.
    const keys = c.asking.map(statementKey);
    const same = (s: Step) => s.keys.length >= keys.length && keys.every((k, i) => s.keys[i] === k);
    const begun = this.steps.filter(same);
    const step = this.answerFor(c.asking, begun.filter((s) => s.keys.length === keys.length));
    if (step) {
      const question = questionLabel(c.asking);
      c.answering.push(...step.parts.map((p) => ({ ...p, question })));
      c.asking = [];
    } else if (begun.length === 0) {
      const [host] = c.id.split('#');
      this.onLeave(`the program wrote ${questionLabel(c.asking)} to ${host.slice(4)}, which the recording has no answer for`);
    }
  }

  /**
   * Which recorded step answers a question asked again: the database's state is what the
   * recorded answers handed over so far made it. So the latest step asked after only answers
   * this run has handed over already (an identical question first, then one of other values);
   * when every one came after answers still pending, the earliest.
   */
  private answerFor(asking: readonly Buffer[], steps: readonly Step[]): Step | undefined {
    const pending = this.steps.find((s) => !s.answered)?.order ?? Infinity;
    const exact = (s: Step) => s.writes.every((w, i) => w.equals(asking[i]));
    const now = steps.filter((s) => s.order <= pending).reverse();
    return now.find(exact) ?? now[0] ?? steps.find(exact) ?? steps[0];
  }

  /** What each live connection can be handed next: its connect, or its next part once the program wrote what came before it. */
  nextParts(): NextNet[] {
    const out: NextNet[] = [];
    for (const c of this.live.values()) {
      const [key, occurrence] = splitId(c.id);
      const { recorded } = c;
      if (!c.connected) {
        if (recorded.connect) out.push({ key, occurrence, kind: 'connect', t: recorded.connect.t, scope: recorded.connect.scope });
        else if (recorded.refused) out.push({ key, occurrence, kind: 'error', t: recorded.refused.t, scope: recorded.refused.scope });
        continue;
      }
      const part = this.next(c);
      if (part) out.push({ key, occurrence, kind: part.kind, chunk: part.kind === 'data' ? c.delivered + 1 : undefined, t: part.t, scope: c.scope, what: part.question });
    }
    return out;
  }

  /** The part a connection can be handed now, if any. */
  private next(c: LiveConnection): Part | undefined {
    if (c.answering) return c.answering[0];
    const part = c.recorded.parts[c.followed];
    return part && c.writes >= part.writesBefore ? part : undefined;
  }

  /** Hands a live connection its recorded connect, chunk, end or failure. False when the program has no such connection in that state. */
  deliver(kind: 'connect' | 'data' | 'close' | 'error', key: string, occurrence: number): boolean {
    const c = this.live.get(`${key}#${occurrence}`);
    if (!c) return false;
    const { socket } = c;
    if (kind === 'connect') {
      if (c.connected || !c.recorded.connect) return false;
      c.connected = true;
      (socket as { connecting: boolean }).connecting = false;
      socket.emit('connect');
      socket.emit('ready');
      if (socket instanceof tls.TLSSocket) socket.emit('secureConnect');
      return true;
    }
    if (kind === 'error' && !c.connected) {
      if (!c.recorded.refused) return false;
      socket.destroy(asError(c.recorded.refused));
      return true;
    }
    const part = c.connected ? (c.answering ? c.answering[0] : c.recorded.parts[c.followed]) : undefined;
    if (!part || part.kind !== kind) return false;
    if (c.answering) c.answering.shift();
    else c.followed++;
    part.step.answered = true;
    c.delivered++;
    // The schedule says it came now, but the program has not asked yet: local work it waits for
    // (a crypto job that Node 24 does not let the quiet point see) is still running.
    if (c.held.length > 0 || c.writes < part.writesBefore) c.held.push(part);
    else this.handOver(c, part);
    return true;
  }

  private handOver(c: LiveConnection, part: Part): void {
    const { socket } = c;
    c.asking = [];
    if (part.kind === 'data') socket.push(c.scram.read(decodeBody({ body: (part.event as NetData).chunk, bodyEncoding: (part.event as NetData).bodyEncoding })));
    else if (part.kind === 'close') socket.push(null);
    else socket.destroy(asError(part.event as NetError));
  }
}

function newStep(): Step {
  return { writes: [], keys: [], parts: [], order: Infinity, answered: false };
}

/** A chunk written, with its passwords made alike: the recording holds placeholders, the program may hold others. */
function alike(bytes: Buffer): Buffer {
  return redactSentChunk(bytes, () => '<secret>', '<secret>');
}

/**
 * A socket without a handle that behaves as a connected one: writes complete at once (they go
 * nowhere), reads come only from push(), ending needs no shutdown. Node's own versions of these
 * wait for a 'connect' that a socket without a handle never has, or fail for the missing handle.
 */
function virtualize(socket: net.Socket, host: string, port: number): void {
  const s = socket as unknown as Record<string, unknown>;
  s.connecting = true;
  s._writeGeneric = (_writev: boolean, _data: unknown, _encoding: string, callback: (error?: Error) => void) => callback();
  s._read = () => {};
  s._final = (callback: () => void) => callback();
  for (const [name, value] of [['remoteAddress', host], ['remotePort', port], ['remoteFamily', net.isIPv6(host) ? 'IPv6' : 'IPv4']] as const) {
    Object.defineProperty(socket, name, { value, configurable: true });
  }
  if (socket instanceof tls.TLSSocket) Object.defineProperty(socket, 'authorized', { value: true, configurable: true, writable: true });
}

function asError(e: NetError): Error {
  return Object.assign(new Error(e.message), e.code ? { code: e.code } : {});
}

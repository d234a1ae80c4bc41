import net from 'node:net';
import tls from 'node:tls';
import { decodeBody, type LoopEvent, type NetData, type NetError } from '@looptape/recording';
import { openedByHttpClient, targetOf, type Patches } from '@looptape/recorder';
import type { Divergence } from './divergence.js';
import { netConnections, netKey, Occurrences } from './keys.js';
import { placeholdersIn, ScramReplay } from './scram.js';

type AnyFn = (...args: any[]) => any;

/** What came to a recorded connection from outside after it was established, in order. */
interface Part {
  kind: 'data' | 'close' | 'error';
  event?: NetData | NetError;
  /** How many chunks the program had written on it before this part came: an answer comes after its question. */
  writesBefore: number;
  t: number;
  scope: number | null;
}

interface RecordedConnection {
  connect?: { t: number; scope: number | null };
  /** Failed before it was established. */
  refused?: NetError;
  parts: Part[];
}

interface LiveConnection {
  id: string;
  socket: net.Socket;
  recorded: RecordedConnection;
  connected: boolean;
  /** Parts handed over so far. */
  delivered: number;
  writes: number;
  scram: ScramReplay;
}

/** The next thing a live connection can be handed, as the scheduler sees it. */
export interface NextNet {
  key: string;
  occurrence: number;
  kind: 'connect' | 'data' | 'close' | 'error';
  chunk?: number;
  t: number;
  scope: number | null;
}

/**
 * The outside world for the program's raw TCP and TLS client connections (database drivers,
 * caches): each socket it opens is matched with the recorded connection to the same address
 * (by occurrence) and never reaches the network. It connects, reads, ends or fails when the
 * scheduler delivers that; what the program writes is taken and dropped (the recorder's tap
 * compares it with the recording).
 */
export class VirtualSockets {
  private readonly recorded = new Map<string, RecordedConnection>();
  private readonly live = new Map<string, LiveConnection>();
  private readonly opened = new Occurrences();
  private readonly passwords: string[];

  constructor(events: readonly LoopEvent[], private readonly onUnrecorded: (d: Divergence) => void, private readonly onLeave?: (what: string) => void) {
    const ids = netConnections(events);
    this.passwords = placeholdersIn(events.filter((e) => e.kind === 'nondet'));
    const byNumber = new Map<number, RecordedConnection>();
    const writes = new Map<number, number>();
    for (const [number, { key, occurrence }] of ids) {
      const connection: RecordedConnection = { parts: [] };
      byNumber.set(number, connection);
      this.recorded.set(`${key}#${occurrence}`, connection);
    }
    for (const e of events) {
      if (!e.kind.startsWith('net.')) continue;
      const c = byNumber.get((e as { connection: number }).connection);
      if (!c) continue;
      const n = (e as { connection: number }).connection;
      const writesBefore = writes.get(n) ?? 0;
      if (e.kind === 'net.connect') c.connect = { t: e.t, scope: e.scope };
      else if (e.kind === 'net.write') writes.set(n, writesBefore + 1);
      else if (e.kind === 'net.error' && !c.connect) c.refused = e;
      else if (e.kind === 'net.data' || e.kind === 'net.error' || (e.kind === 'net.close' && !e.byProgram)) {
        c.parts.push({ kind: e.kind === 'net.data' ? 'data' : e.kind === 'net.error' ? 'error' : 'close', event: e.kind === 'net.close' ? undefined : e, writesBefore, t: e.t, scope: e.scope });
      }
    }
  }

  install(patches: Patches): void {
    const self = this;
    patches.replace(net.Socket.prototype, 'connect', (original) => function (this: net.Socket, ...args: unknown[]) {
      if (openedByHttpClient()) return (original as AnyFn).apply(this, args);
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
    const live: LiveConnection = { id, socket, recorded, connected: false, delivered: 0, writes: 0, scram: new ScramReplay(this.passwords) };
    const write = socket.write;
    socket.write = function (this: net.Socket, ...rest: unknown[]) {
      const chunk = rest[0];
      if ((typeof chunk === 'string' || chunk instanceof Uint8Array) && chunk.length > 0) {
        live.writes++;
        live.scram.sent(Buffer.from(chunk as Uint8Array));
      }
      return (write as AnyFn).apply(this, rest);
    } as typeof socket.write;
    this.live.set(id, live);
    return socket;
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
      const part = recorded.parts[c.delivered];
      if (part && c.writes >= part.writesBefore) out.push({ key, occurrence, kind: part.kind, chunk: part.kind === 'data' ? c.delivered + 1 : undefined, t: part.t, scope: part.scope });
    }
    return out;
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
    const part = c.recorded.parts[c.delivered];
    if (!c.connected || !part || part.kind !== kind) return false;
    c.delivered++;
    if (part.kind === 'data') socket.push(c.scram.read(decodeBody({ body: (part.event as NetData).chunk, bodyEncoding: (part.event as NetData).bodyEncoding })));
    else if (part.kind === 'close') socket.push(null);
    else socket.destroy(asError(part.event as NetError));
    return true;
  }
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

function splitId(id: string): [string, number] {
  const at = id.lastIndexOf('#');
  return [id.slice(0, at), Number(id.slice(at + 1))];
}

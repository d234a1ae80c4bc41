import type { Divergence } from './divergence.js';

/** What `looptape replay --json` prints: one object. */
export interface ReplayResult {
  ok: boolean;
  divergence: Divergence | null;
  /** The program's answers to the recorded inbound requests, in the order it gave them. */
  responses: Array<{ method: string; url: string; status: number; body: string }>;
  stdout: string;
  stderr: string;
  exitCode: number | null;
  errors: Array<{ kind: string; name: string; message: string }>;
  /** Virtual time the replay covered, ms. */
  virtualMs: number;
  /** Real time it took, from the first delivery to the end, ms. */
  wallMs: number;
  /** Deliveries made, of how many in the schedule. */
  delivered: number;
  scheduled: number;
  /** sha256 of the replayed program's canonical stream (requests, responses, timers, draws, output, errors, exit). */
  streamHash: string;
  /** Whether the replay followed the recorded schedule (strict) or another one. */
  strict: boolean;
  /** A problem that stopped the replay before the program ran (unsupported recording…). */
  refused?: string;
}

import type { Divergence } from './divergence.js';
import type { Delivery } from './schedule.js';

/** An answer the program gave to an inbound request (or its client going away first). */
export interface RunResponse {
  method: string;
  url: string;
  /** Which request with this method and URL it answers: the how-manieth to arrive (from 1). */
  occurrence: number;
  /** 0 when the client went away before an answer. */
  status: number;
  body: string;
  /** Virtual time of the answer, ms since the run started. */
  t: number;
  aborted?: boolean;
}

/** An outbound call the program made. */
export interface RunRequest {
  method: string;
  url: string;
  t: number;
  /** The inbound request it was made for, or null. */
  scope: { method: string; url: string } | null;
}

/** What `looptape replay --json` prints, and what `js:` oracles receive: the run object (docs/run-object.md). */
export interface ReplayResult {
  ok: boolean;
  divergence: Divergence | null;
  /** The program's answers to the inbound requests, in the order it gave them. */
  responses: RunResponse[];
  /** The outbound calls it made, in order. */
  requests: RunRequest[];
  /** Inbound requests delivered that got neither an answer nor a client going away. */
  unanswered: Array<{ method: string; url: string }>;
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
  /** The deliveries made, in order. */
  schedule: Delivery[];
  /** Outbound requests answered with the recorded answer of another occurrence or a similar request. */
  synthesized: number;
  /** Why a chosen run stopped early without a bug: a request the recording has no answer for, or too many deliveries. */
  leftRecording: string | null;
  /** A problem that stopped the replay before the program ran (unsupported recording…). */
  refused?: string;
}

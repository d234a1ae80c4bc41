import { analyze } from '@looptape/analysis';
import { RecordingReader, type LoopEvent, type RecordingMeta } from '@looptape/recording';
import { loadRecording, recordedSchedule, type Delivery, type RunResponse } from '@looptape/replayer';

/** What the explorer and the regression test need from a recording, read once. */
export interface RecordedRun {
  file: string;
  meta: RecordingMeta;
  /** The recorded schedule's deliveries. */
  schedule: Delivery[];
  /** The recorded answers to inbound requests, in order. */
  responses: RunResponse[];
  /** What the recording says the program used that replay cannot reproduce, if anything. */
  unsupported?: string;
}

export function readRecorded(file: string): RecordedRun {
  const { events, meta } = loadRecording(file);
  const unsupported = events.find((e) => e.kind === 'unsupported');
  return {
    file,
    meta,
    schedule: recordedSchedule(events).deliveries,
    responses: inboundAnswers(events),
    unsupported: unsupported?.kind === 'unsupported' ? `${unsupported.what} (${unsupported.detail}${unsupported.site ? ` at ${unsupported.site}` : ''})` : undefined,
  };
}

/** The answers to inbound requests as the run object has them. */
export function inboundAnswers(events: readonly LoopEvent[]): RunResponse[] {
  const requests = new Map<number, { method: string; url: string; occurrence: number }>();
  const arrivals = new Map<string, number>();
  const out: RunResponse[] = [];
  for (const e of events) {
    if (e.kind === 'http.request' && e.direction === 'in') {
      const key = `${e.method} ${e.url}`;
      arrivals.set(key, (arrivals.get(key) ?? 0) + 1);
      requests.set(e.exchange, { method: e.method, url: e.url, occurrence: arrivals.get(key)! });
    } else if ((e.kind === 'http.response' || e.kind === 'http.abort') && e.direction === 'in') {
      const r = requests.get(e.exchange) ?? { method: '?', url: '?', occurrence: 1 };
      out.push(e.kind === 'http.response' ? { ...r, status: e.status, body: e.body, t: e.t } : { ...r, status: 0, body: '', t: e.t, aborted: true });
    }
  }
  return out;
}

/** A recording's report findings, as finding: oracles read them. */
export function findingsOf(file: string): Array<{ kind: string; message: string }> {
  const reader = RecordingReader.open(file);
  try {
    return analyze(reader).findings.map((f) => ({ kind: f.kind, message: f.message }));
  } finally {
    reader.close();
  }
}

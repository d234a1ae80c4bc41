import type { Comparator } from '../comparator.js';

// Captured when this module loads, before replay patches the globals.
const realSetImmediate = setImmediate;

/**
 * When the answers to the program's asynchronous file calls come. Recorded, an answer came when
 * the thread pool finished, between other events (a response went out while a file was being
 * written); in strict replay it comes at the same point of the program's events, so what the
 * program does next lands where it did. Under another schedule, or once nothing is left to
 * wait for, answers come in the next turn of the event loop.
 */
export class FileAnswers {
  private waiting: Array<{ at: number; done: number; answer: () => void }> = [];
  private open = false;

  constructor(private readonly comparator: Comparator, private readonly strict: boolean) {}

  answerAt = (done: number | undefined, answer: () => void): void => {
    const at = done === undefined || !this.strict || this.open ? 0 : this.comparator.positionAt(done);
    if (at <= this.comparator.position) realSetImmediate(answer);
    else this.waiting.push({ at, done: done!, answer });
  };

  /**
   * Before the next delivery (recorded at `seq`): answers that came before it when recorded, even
   * if events they waited for are still held back (a body still arriving). True when there were some.
   */
  releaseBefore(seq: number): boolean {
    const due = this.waiting.filter((w) => w.done < seq);
    if (due.length === 0) return false;
    this.waiting = this.waiting.filter((w) => w.done >= seq);
    for (const w of due) realSetImmediate(w.answer);
    return true;
  }

  /** After each event the program produced: answers whose turn has come. */
  release(): void {
    if (this.waiting.length === 0) return;
    const due = this.waiting.filter((w) => w.at <= this.comparator.position);
    if (due.length === 0) return;
    this.waiting = this.waiting.filter((w) => w.at > this.comparator.position);
    for (const w of due) realSetImmediate(w.answer);
  }

  /** Nothing more will move the program forward (the schedule is done, or it diverged): answer the rest now. */
  releaseAll(): void {
    this.open = true;
    const rest = this.waiting;
    this.waiting = [];
    for (const w of rest) realSetImmediate(w.answer);
  }
}

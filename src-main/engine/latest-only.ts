// One call at a time, and of the calls waiting for it only the latest runs: the others fail with 'cancelled' (their
// caller has asked again since). For previews recomputed on every edit: a slow one never piles up stale work.
import { EngineError } from './errors';

export class LatestOnly {
  private inFlight: Promise<unknown> | null = null;
  private latest = 0;

  async run<T>(fn: () => Promise<T>): Promise<T> {
    const me = ++this.latest;
    while (this.inFlight) {
      await this.inFlight.catch(() => undefined);
      if (me !== this.latest) throw new EngineError('cancelled', 'A newer request replaced this one before it started');
    }
    const p = fn();
    this.inFlight = p;
    try {
      return await p;
    } finally {
      if (this.inFlight === p) this.inFlight = null;
    }
  }
}

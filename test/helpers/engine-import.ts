// Import files through an engine as a host does (import.start, then the import.finished event) and wait for the
// outcome. Listens before starting, so an import finishing at once is not missed.
import type { Engine } from '../../src-main/engine/engine';
import type { ImportOutcome } from '../../src-shared/api/contract';

export async function importFiles(engine: Engine, files: string[]): Promise<ImportOutcome> {
  const outcomes = new Map<string, ImportOutcome>();
  let wanted: string | null = null;
  let done: ((o: ImportOutcome) => void) | null = null;
  const stop = engine.subscribe((event, payload) => {
    if (event !== 'import.finished') return;
    const p = payload as { jobId: string; outcome: ImportOutcome };
    outcomes.set(p.jobId, p.outcome);
    if (p.jobId === wanted) done?.(p.outcome);
  });
  try {
    const { jobId } = await engine.invoke('import.start', { files: files.map((path) => ({ path })) });
    wanted = jobId;
    return await new Promise<ImportOutcome>((resolve) => {
      done = resolve;
      const early = outcomes.get(jobId);
      if (early) resolve(early);
    });
  } finally {
    stop();
  }
}

// LatestOnly: while one call runs, later calls wait; of the waiting ones only the newest runs.
import { describe, expect, it } from 'vitest';
import { LatestOnly } from '../../src-main/engine/latest-only';

describe('LatestOnly', () => {
  it('runs the first call and the latest waiting one, and cancels those in between', async () => {
    const l = new LatestOnly();
    const started: number[] = [];
    let release!: () => void;
    const first = l.run(async () => {
      started.push(1);
      await new Promise<void>((r) => (release = r));
      return 1;
    });
    const second = l.run(async () => (started.push(2), 2));
    const third = l.run(async () => (started.push(3), 3));
    release();
    expect(await first).toBe(1);
    await expect(second).rejects.toMatchObject({ code: 'cancelled' });
    expect(await third).toBe(3);
    expect(started).toEqual([1, 3]);
    // idle again: the next call runs at once
    expect(await l.run(async () => 4)).toBe(4);
  });

  it('a failing call does not stop the next one', async () => {
    const l = new LatestOnly();
    const a = l.run(async () => {
      throw new Error('boom');
    });
    const b = l.run(async () => 'ok');
    await expect(a).rejects.toThrow('boom');
    expect(await b).toBe('ok');
  });
});

// The new jobs of a batch's event records share their deliver messages: one queue call once every
// record has taken part, or GATHER_MS after the first jobs came; each record settles with it.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { QueueMessage } from '../../shared/events/queue';
import { GATHER_MS, gatheredDeliveries } from '../../shared/notifications/consumer';

let calls: QueueMessage[][];
const recording = (outcome: () => Promise<void> = () => Promise.resolve()) => {
  return (messages: QueueMessage[]) => {
    calls.push(messages);
    return outcome();
  };
};

beforeEach(() => {
  calls = [];
  vi.useFakeTimers();
});
afterEach(() => vi.useRealTimers());

describe('gathered deliveries', () => {
  it('queue the jobs of every record in one call once all have taken part, whatever their order', async () => {
    const deliveries = gatheredDeliveries(4, recording());
    const first = deliveries.send([1]);
    deliveries.pass();
    const second = deliveries.send([2, 3]);
    expect(calls).toEqual([]);
    const third = deliveries.send([4]);
    await Promise.all([first, second, third]);
    expect(calls).toEqual([[{ kind: 'deliver', jobIds: [1, 2, 3, 4] }]]);
  });

  it('make no call for a batch without new jobs', () => {
    const deliveries = gatheredDeliveries(2, recording());
    deliveries.pass();
    void deliveries.send([]);
    expect(calls).toEqual([]);
  });

  it('do not hold the others for a record that never comes: the jobs go after GATHER_MS, the late one alone', async () => {
    const deliveries = gatheredDeliveries(3, recording());
    const early = Promise.all([deliveries.send([1]), deliveries.send([2])]);
    await vi.advanceTimersByTimeAsync(GATHER_MS - 1);
    expect(calls).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    await early;
    expect(calls).toEqual([[{ kind: 'deliver', jobIds: [1, 2] }]]);
    await deliveries.send([3]);
    expect(calls).toEqual([[{ kind: 'deliver', jobIds: [1, 2] }], [{ kind: 'deliver', jobIds: [3] }]]);
  });

  it('fail every record whose jobs a failed call carried, so that each comes back', async () => {
    const deliveries = gatheredDeliveries(
      2,
      recording(() => Promise.reject(new Error('queue down'))),
    );
    const outcomes = await Promise.allSettled([deliveries.send([1]), deliveries.send([2])]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
  });

  it('split many jobs into deliver messages of the usual size, still in one call', async () => {
    const deliveries = gatheredDeliveries(1, recording());
    await deliveries.send(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(calls).toHaveLength(1);
    expect(calls[0]!.map((m) => (m.kind === 'deliver' ? m.jobIds.length : 0))).toEqual([25, 5]);
  });
});

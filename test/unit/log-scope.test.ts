// Each request's (or message's) lines carry its own keys, however its work interleaves with
// another's: the scope travels with the request's database, not with the async context.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { log, LogScope } from '../../shared/log';

let lines: Record<string, unknown>[];

beforeEach(() => {
  lines = [];
  // Powertools writes info to stdout, warnings and errors to stderr.
  for (const stream of [process.stdout, process.stderr])
    vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      return true;
    });
});
afterEach(() => vi.restoreAllMocks());

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('log scopes', () => {
  it("keep each request's keys on its own lines while two requests interleave", async () => {
    const request = async (requestId: string, accountId: number) => {
      const scope = new LogScope();
      scope.tag({ requestId, route: 'POST /api/tasks' });
      await tick();
      scope.tag({ accountId });
      await tick();
      scope.warn('step', { requestIdSeen: requestId });
      await tick();
      scope.error('failed', new Error(`boom ${requestId}`));
    };
    await Promise.all([request('a', 1), request('b', 2)]);
    expect(lines).toHaveLength(4);
    for (const line of lines) {
      expect(line.requestId === 'a' ? 1 : 2).toBe(line.accountId);
      expect(line.route).toBe('POST /api/tasks');
      expect(typeof line.durationMs).toBe('number');
    }
    expect(lines.filter((l) => l.message === 'step').map((l) => [l.requestId, l.requestIdSeen])).toEqual([
      ['a', 'a'],
      ['b', 'b'],
    ]);
    expect(lines.find((l) => l.message === 'failed' && l.requestId === 'b')?.error).toMatchObject({ message: 'boom b' });
  });

  it("write the process's own lines without any request's keys", () => {
    const scope = new LogScope();
    scope.tag({ requestId: 'a', accountId: 1 });
    log.info('relay started', { queue: 'events' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ message: 'relay started', queue: 'events' });
    expect(lines[0]).not.toHaveProperty('requestId');
    expect(lines[0]).not.toHaveProperty('durationMs');
  });
});

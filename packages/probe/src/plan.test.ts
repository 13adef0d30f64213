import { describe, expect, it } from 'vitest';
import type { Binder, BindOutcome, BindTarget } from './bind.js';
import { ProbeError } from './errors.js';
import { DUAL_STACK, IPV4_ANY, planFor, probeWithPlan } from './plan.js';

/** A binder answering from a table by host, recording every call. */
function fakeBinder(answers: Record<string, BindOutcome | Error>): { bind: Binder; calls: BindTarget[] } {
  const calls: BindTarget[] = [];
  const bind: Binder = async (_port, target) => {
    calls.push(target);
    const answer = answers[target.host];
    if (answer === undefined) throw new Error(`unexpected bind on ${target.host}`);
    if (answer instanceof Error) throw answer;
    return answer;
  };
  return { bind, calls };
}

describe('probeWithPlan without a host', () => {
  it('answers from one dual-stack bind when IPv6 works', async () => {
    for (const outcome of ['free', 'busy'] as const) {
      const { bind, calls } = fakeBinder({ '::': outcome });
      expect(await probeWithPlan(8765, { kind: 'any' }, undefined, bind)).toBe(outcome === 'busy');
      expect(calls).toEqual([DUAL_STACK]);
    }
  });

  it('falls back to 0.0.0.0 on a machine without IPv6 instead of calling the port busy', async () => {
    const free = fakeBinder({ '::': 'unsupported', '0.0.0.0': 'free' });
    expect(await probeWithPlan(8765, { kind: 'any' }, undefined, free.bind)).toBe(false);
    expect(free.calls).toEqual([DUAL_STACK, IPV4_ANY]);
    const busy = fakeBinder({ '::': 'unsupported', '0.0.0.0': 'busy' });
    expect(await probeWithPlan(8765, { kind: 'any' }, undefined, busy.bind)).toBe(true);
  });

  it('surfaces an unexpected system error instead of calling the port busy', async () => {
    const failure = new ProbeError('EPROBEFAILED', 'EMFILE', { cause: new Error('EMFILE') });
    const { bind } = fakeBinder({ '::': failure });
    await expect(probeWithPlan(8765, { kind: 'any' }, undefined, bind)).rejects.toBe(failure);
    const nothing = fakeBinder({ '::': 'unsupported', '0.0.0.0': 'unsupported' });
    await expect(probeWithPlan(8765, { kind: 'any' }, undefined, nothing.bind)).rejects.toMatchObject({
      code: 'EPROBEFAILED',
    });
  });
});

describe('probeWithPlan with a host', () => {
  it('binds every address of a name and skips families the machine lacks', async () => {
    const plan = {
      kind: 'addresses',
      host: 'localhost',
      addresses: ['127.0.0.1', '::1'],
      literal: false,
    } as const;
    const noIPv6 = fakeBinder({ '127.0.0.1': 'free', '::1': 'unsupported' });
    expect(await probeWithPlan(8765, plan, undefined, noIPv6.bind)).toBe(false);
    expect(noIPv6.calls.map((call) => call.host)).toEqual(['127.0.0.1', '::1']);
    const busyOnV6 = fakeBinder({ '127.0.0.1': 'free', '::1': 'busy' });
    expect(await probeWithPlan(8765, plan, undefined, busyOnV6.bind)).toBe(true);
    const none = fakeBinder({ '127.0.0.1': 'unsupported', '::1': 'unsupported' });
    await expect(probeWithPlan(8765, plan, undefined, none.bind)).rejects.toMatchObject({
      code: 'EHOSTUNAVAILABLE',
    });
  });

  it('rejects a literal address that is not local with EHOSTUNAVAILABLE', async () => {
    const plan = { kind: 'addresses', host: '10.9.9.9', addresses: ['10.9.9.9'], literal: true } as const;
    const { bind } = fakeBinder({ '10.9.9.9': 'unsupported' });
    await expect(probeWithPlan(8765, plan, undefined, bind)).rejects.toMatchObject({
      code: 'EHOSTUNAVAILABLE',
      message: expect.stringContaining('10.9.9.9'),
    });
  });
});

describe('planFor', () => {
  it('keeps literals (with or without brackets) and resolves names once', async () => {
    expect(await planFor(undefined)).toEqual({ kind: 'any' });
    expect(await planFor('[::1]')).toMatchObject({ addresses: ['::1'], literal: true });
    const localhost = await planFor('localhost');
    expect(localhost).toMatchObject({ kind: 'addresses', literal: false });
    expect(localhost.kind === 'addresses' && localhost.addresses).toContain('127.0.0.1');
  });

  it('rejects an unknown name with EHOSTUNAVAILABLE and an aborted signal with its reason', async () => {
    await expect(planFor('no-such-host.invalid')).rejects.toMatchObject({ code: 'EHOSTUNAVAILABLE' });
    const reason = new Error('stop');
    await expect(planFor('localhost', AbortSignal.abort(reason))).rejects.toBe(reason);
  });
});

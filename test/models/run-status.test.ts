import { describe, expect, it } from 'vitest';
import {
  awaitsDecision,
  isDiscardable,
  isFinal,
  isInProgress,
  isKnownRunStatus,
  KNOWN_RUN_STATUSES,
  needsConfirmation,
  RunStatus,
} from '../../src/index.js';

describe('RunStatus', () => {
  it('knows the 38 documented states', () => {
    expect(KNOWN_RUN_STATUSES).toHaveLength(38);
    expect(new Set(KNOWN_RUN_STATUSES).size).toBe(38);
    expect(RunStatus.PlannedAndFinished).toBe('planned_and_finished');
  });

  it.each(KNOWN_RUN_STATUSES)('classifies %s in exactly one of final, waiting, in progress', (status) => {
    const waiting = needsConfirmation(status) || awaitsDecision(status);
    const classes = [isFinal(status), waiting, isInProgress(status)].filter(Boolean);
    expect(classes).toHaveLength(1);
    expect(needsConfirmation(status) && awaitsDecision(status)).toBe(false);
  });

  it('treats the documented final states as final', () => {
    for (const s of [
      'applied',
      'planned_and_finished',
      'discarded',
      'errored',
      'canceled',
      'force_canceled',
      'policy_soft_failed',
    ]) {
      expect(isFinal(s)).toBe(true);
    }
    expect(isFinal('planning')).toBe(false);
  });

  it('places confirmation where the docs say apply is accepted', () => {
    expect(needsConfirmation('planned')).toBe(true);
    expect(needsConfirmation('policy_checked')).toBe(true);
    expect(needsConfirmation('applying')).toBe(false);
  });

  it('places decisions on policy overrides and run task verdicts', () => {
    expect(awaitsDecision('policy_override')).toBe(true);
    expect(awaitsDecision('post_plan_awaiting_decision')).toBe(true);
  });

  it('marks the discardable states the docs list', () => {
    for (const s of ['pending', 'planned', 'policy_checked', 'policy_override'])
      expect(isDiscardable(s)).toBe(true);
    expect(isDiscardable('applying')).toBe(false);
  });

  it('never throws on, and does not classify, a state added after this release', () => {
    const future = 'quantum_planning';
    expect(isKnownRunStatus(future)).toBe(false);
    expect([
      isFinal(future),
      needsConfirmation(future),
      awaitsDecision(future),
      isInProgress(future),
    ]).toEqual([false, false, false, false]);
  });
});

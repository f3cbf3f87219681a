/**
 * The one dose-event loop every simulator uses: DoseTimeline.applyThrough hands each
 * event at or before t to the simulator's state once, in time order.
 */
import { describe, expect, it } from 'vitest';
import { DoseTimeline, type DoseEventTarget } from '../../../../src/lib/engine/pk/doseTimeline';

function recorder() {
  const events: string[] = [];
  const target: DoseEventTarget = {
    addBolus: (state, amount, time) => events.push(`bolus ${amount} into ${state} at ${time}`),
    addRate: (state, delta, time) => events.push(`rate ${delta} into ${state} at ${time}`)
  };
  return { events, target };
}

describe('DoseTimeline.applyThrough', () => {
  // 100 mg oral into state 0 at 0 and 12 h (F = 0.5, lag 0.5 h); 60 mg over 2 h into state 1 at 6 h.
  const timeline = new DoseTimeline(2);
  const fill = () =>
    timeline.fill(
      [
        { time: 0, amount: 100, targetSlot: 0, state: 0, duration: 0 },
        { time: 12, amount: 100, targetSlot: 0, state: 0, duration: 0 },
        { time: 6, amount: 60, targetSlot: 1, state: 1, duration: 2 }
      ],
      Float64Array.of(0.5, 1),
      Float64Array.of(0.5, 0)
    );

  it('applies the events at or before t once each, in time order, then tells the next time', () => {
    fill();
    const { events, target } = recorder();
    expect(timeline.nextTime()).toBe(0.5);
    timeline.applyThrough(0, target);
    expect(events).toEqual([]);
    timeline.applyThrough(6, target);
    expect(events).toEqual(['bolus 50 into 0 at 0.5', 'rate 30 into 1 at 6']);
    expect(timeline.nextTime()).toBe(8);
    timeline.applyThrough(6, target);
    expect(events.length).toBe(2);
    timeline.applyThrough(100, target);
    expect(events.slice(2)).toEqual(['rate -30 into 1 at 8', 'bolus 50 into 0 at 12.5']);
    expect(timeline.nextTime()).toBe(Infinity);
  });

  it('starts again from the first event when filled for the next twin', () => {
    fill();
    timeline.applyThrough(100, recorder().target);
    fill();
    const { events, target } = recorder();
    timeline.applyThrough(1, target);
    expect(events).toEqual(['bolus 50 into 0 at 0.5']);
  });
});

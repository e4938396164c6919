// Per-thread CPU time on Linux, from /proc/self/task/<tid>/schedstat (first field: ns on a CPU). The bench uses it
// to estimate what a threaded run takes when every thread has a core of its own, on a machine shared with other
// work: the longest per-thread CPU time during the run (the critical path; sync latency not included).
// Returns null where /proc is not available.
import { readdirSync, readFileSync } from 'node:fs';

/**
 * ms on a CPU per thread id. `after`: read this thread first (at the start of the snapshot), else last, so the
 * reads of the other threads' files never count in this thread's time.
 */
export function threadTimes(after = false) {
  try {
    const m = new Map();
    const self = String(process.pid); // the main thread's tid
    const tids = readdirSync('/proc/self/task').filter((t) => t !== self);
    if (after) tids.unshift(self); else tids.push(self);
    for (const tid of tids) {
      try {
        m.set(tid, Number(readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ')[0]) / 1e6);
      } catch { /* the thread ended */ }
    }
    return m;
  } catch {
    return null;
  }
}

/** Longest per-thread CPU ms between two threadTimes() snapshots (NaN without /proc). */
export function criticalPath(before, after) {
  if (!before || !after) return NaN;
  let max = 0;
  for (const [tid, t] of after) max = Math.max(max, t - (before.get(tid) ?? 0));
  return max;
}

import { SingleBar } from 'cli-progress';

/**
 * Progress on stderr: a live bar on a terminal; otherwise a line when the phase starts
 * and a closing summary line (CI logs stay readable, and say which phase was running
 * when something stopped). Shows done/total, rate and ETA.
 */
/** Bars still drawn: an error message must not be printed onto a bar's line. */
const liveBars = new Set<SingleBar>();

/** Stops every bar still drawn, so that what follows starts on a line of its own. */
export function stopProgressBars(): void {
  for (const bar of liveBars) bar.stop();
  liveBars.clear();
}

export function progressReporter(label: string) {
  const tty = process.stderr.isTTY;
  // The clock starts at the first update, so a reporter can be made before its phase begins.
  let started: number | undefined;
  let bar: SingleBar | undefined;
  let last = { done: 0, total: 0 };
  return {
    update(done: number, total: number) {
      last = { done, total };
      if (started === undefined && !tty) process.stderr.write(`${label}: 0 of ${total}\n`);
      started ??= performance.now();
      if (!tty) return;
      if (!bar) {
        bar = new SingleBar({
          stream: process.stderr,
          format: `${label} |{bar}| {percentage}% {value}/{total} {rate}/s ETA {eta_formatted}`,
          barsize: 30,
          hideCursor: true
        });
        bar.start(total, 0, { rate: 0 });
        liveBars.add(bar);
      }
      const seconds = (performance.now() - started) / 1000;
      bar.setTotal(total);
      bar.update(done, { rate: seconds > 0 ? Math.round(done / seconds) : 0 });
    },
    finish() {
      if (bar) {
        bar.stop();
        liveBars.delete(bar);
      }
      const seconds = (performance.now() - (started ?? performance.now())) / 1000;
      process.stderr.write(
        `${label}: ${last.done} in ${seconds.toFixed(2)} s (${Math.round(last.done / Math.max(seconds, 1e-9))}/s)\n`
      );
    }
  };
}

// supervisord's stopProcess(wait=true) polls the stopping process and calls its stop_report(), which logs
// INFO `waiting for <name> to stop` at once and then at most every 2 s while it is STOPPING. The engine
// throttles the message (SupervisorControl.stopReport, optional); this asks for it while the wait lasts.
import type { SupervisorControl } from '../../supervision/control.js';

/** How often the wait asks the engine to report (the engine itself keeps the 2 s throttle). */
const POLL_MS = 500;

/** Report now, then keep reporting until the returned stop function is called. */
export function startStopReports(control: SupervisorControl, group: string, name: string): () => void {
  if (!control.stopReport) return () => {};
  const report = (): void => {
    try {
      control.stopReport?.(group, name);
    } catch {
      // a log line must never fail a stop request
    }
  };
  report();
  const timer = setInterval(report, POLL_MS);
  timer.unref();
  return () => clearInterval(timer);
}

// Deferred answers for `wait=true`: a promise settled from the EventBus's 'process-state' events for one
// process (never by blocking or tight polling). An optional safety timer re-checks where supervisord
// itself has a timer (startsecs / stopwaitsecs), in case an event was missed.
import type { ProcessView, SupervisorControl } from '../../supervision/control.js';
import type { XmlRpcValue } from '../xmlrpc-values.js';

/** What a check decides: keep waiting, finish with a value, or fail with an error. */
export type WaitVerdict = { readonly wait: true } | { readonly value: XmlRpcValue } | { readonly error: unknown };

export const KEEP_WAITING: WaitVerdict = { wait: true };

export function waitForProcess(
  control: SupervisorControl,
  group: string,
  name: string,
  check: (view: ProcessView | undefined) => WaitVerdict,
  safetyMs?: number,
): Promise<XmlRpcValue> {
  return new Promise<XmlRpcValue>((resolve, reject) => {
    let done = false;
    let timer: NodeJS.Timeout | undefined;
    let unsubscribe: () => void = () => {};
    const evaluate = (): void => {
      if (done) return;
      let verdict: WaitVerdict;
      try {
        verdict = check(control.process(group, name));
      } catch (err) {
        verdict = { error: err };
      }
      if ('wait' in verdict) return;
      done = true;
      unsubscribe();
      if (timer) clearTimeout(timer);
      if ('value' in verdict) resolve(verdict.value);
      else reject(verdict.error);
    };
    unsubscribe = control.events.subscribe((event) => {
      if (event.kind === 'process-state' && event.process.group === group && event.process.name === name) evaluate();
      else if (event.kind === 'group' && event.group === group) evaluate();
    });
    if (safetyMs !== undefined) {
      const arm = (): void => {
        timer = setTimeout(() => {
          evaluate();
          if (!done) arm();
        }, safetyMs);
        timer.unref();
      };
      arm();
    }
    evaluate();
  });
}

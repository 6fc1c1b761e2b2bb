// supervisord's startup rlimit step (spec §4.1 step 4, options.set_rlimits_or_exit): raise RLIMIT_NOFILE to
// minfds and RLIMIT_NPROC to minprocs when the soft limit is lower (and not unlimited), raising the hard
// limit too when it is lower. Returns the INFO texts to log; throws RlimitError with supervisord's usage
// text (→ `Error: <text>`, exit 2) when the kernel refuses.
import { loadNative, RLIMIT, type ReaperAddon } from './native.js';

export class RlimitError extends Error {
  override readonly name = 'RlimitError';
}

type Limits = Pick<ReaperAddon, 'getrlimit' | 'setrlimit'>;

const TEXTS = {
  NOFILE: (min: number, hard: number) =>
    `The minimum number of file descriptors required to run this process is ${min} as per the "minfds" command-line argument or config file setting. The current environment will only allow you to open ${hard} file descriptors.  Either raise the number of usable file descriptors in your environment (see README.rst) or lower the minfds setting in the config file to allow the process to start.`,
  NPROC: (min: number, hard: number) =>
    `The minimum number of available processes required to run this program is ${min} as per the "minprocs" command-line argument or config file setting. The current environment will only allow you to open ${hard} processes.  Either raise the number of usable processes in your environment (see README.rst) or lower the minprocs setting in the config file to allow the program to start.`,
} as const;

/** Applies minfds/minprocs as supervisord does. Returns messages such as `Increased RLIMIT_NOFILE limit to 1024`. */
export function applyMinimumLimits(minfds: number, minprocs: number, limits: Limits = loadNative()): string[] {
  const infos: string[] = [];
  for (const [name, min] of [['NOFILE', minfds], ['NPROC', minprocs]] as const) {
    const res = RLIMIT[name];
    const [soft, rawHard] = limits.getrlimit(res);
    let hard = rawHard;
    if (soft < min && soft !== Infinity) {
      if (hard < min && hard !== Infinity) hard = min;
      try {
        limits.setrlimit(res, min, hard);
        infos.push(`Increased RLIMIT_${name} limit to ${min}`);
      } catch {
        // Quirk kept from supervisord: the "will only allow" number printed is the requested hard value.
        throw new RlimitError(TEXTS[name](min, hard));
      }
    }
  }
  return infos;
}

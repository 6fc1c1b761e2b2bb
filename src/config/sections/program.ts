// [program:x], and the process part of [eventlistener:x] / [fcgi-program:x] (spec §2.2): one
// ProcessConfig per process_num, with supervisord's expansion rules (§1.5), read order, warnings
// and the " in section '<s>' (file: '<f>')" suffix on every error.
import type { LoadContext } from '../context.js';
import { readerFor, sectionFile } from '../context.js';
import type { LogfileValue } from '../datatypes.js';
import {
  autoRestart,
  boolean,
  byteSize,
  gidForUid,
  integer,
  listOfExitcodes,
  logfileName,
  nameToUid,
  octalType,
  processOrGroupName,
  signalNumber,
} from '../datatypes.js';
import { dictOfKeyValuePairs } from '../env-list.js';
import { at, withMessage } from '../errors.js';
import type { ExpansionValue } from '../expand.js';
import { expand } from '../expand.js';
import type { OutputChannelConfig, ProcessConfig, ProgramKind } from '../model.js';
import { ConfigError } from '../model.js';
import { pyRepr } from '../../common/python-repr.js';
import { pyStrip } from '../pyrepr.js';
import { signalName } from '../signals.js';
import { userByUid } from '../users.js';

/** Most processes one program section may expand to (numprocs): beyond this, startup time and memory explode. */
export const MAX_NUMPROCS = 10_000;

export interface ProgramDefaults {
  /** [tsinit] prefix=, the default of every program's prefix=. */
  readonly prefix: boolean;
}

/** supervisord's processes_from_section: errors get the section/file suffix. */
export function processesFromSection(
  ctx: LoadContext,
  section: string,
  groupName: string,
  kind: ProgramKind,
  defaults: ProgramDefaults,
): ProcessConfig[] {
  const file = sectionFile(ctx, section);
  return withMessage(
    () => readProcesses(ctx, section, groupName, kind, defaults, file),
    (msg) => `${msg} in section ${pyRepr(section)} (file: ${pyRepr(file)})`,
  );
}

function comparePy(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function readProcesses(
  ctx: LoadContext,
  section: string,
  groupName: string,
  kind: ProgramKind,
  defaults: ProgramDefaults,
  file: string,
): ProcessConfig[] {
  const r = readerFor(ctx, section);
  const programName = processOrGroupName(section.slice(section.indexOf(':') + 1));
  // supervisord mutates this mapping in the per-process loop (process_num, numprocs, ENV_*).
  const common: Record<string, ExpansionValue> = {
    here: ctx.here,
    program_name: programName,
    host_node_name: ctx.hostname,
    group_name: groupName,
  };
  const get = <D extends string | number | boolean | null>(opt: string, dflt: D, doExpand = true): string | D =>
    r.get(opt, dflt, { expansions: { ...common }, expand: doExpand });
  const conv = <T, D extends string | number | boolean | null>(opt: string, dflt: D, fn: (v: string | D) => T): T =>
    r.conv(opt, dflt, fn, { expansions: { ...common } });
  const str = (v: unknown): string => String(v);

  const priority = conv('priority', 999, (v) => integer(v as string));
  const autostart = conv('autostart', 'true', (v) => boolean(v));
  const autorestart = conv('autorestart', 'unexpected', (v) => autoRestart(v));
  const startsecs = conv('startsecs', 1, (v) => integer(v as string));
  const startretries = conv('startretries', 3, (v) => integer(v as string));
  const stopsignal = conv('stopsignal', 'TERM', (v) => signalNumber(v));
  const stopwaitsecs = conv('stopwaitsecs', 10, (v) => integer(v as string));
  const stopasgroup = conv('stopasgroup', 'false', (v) => boolean(v));
  const killasgroup = conv('killasgroup', stopasgroup, (v) => boolean(v));
  const exitcodes = conv('exitcodes', '0', (v) => listOfExitcodes(v));
  const redirectStderr = conv('redirect_stderr', 'false', (v) => boolean(v));
  const numprocs = conv('numprocs', 1, (v) => integer(v as string));
  const numprocsStart = conv('numprocs_start', 0, (v) => integer(v as string));
  const environmentStr = str(get('environment', '', false));
  const stdoutCapture = conv('stdout_capture_maxbytes', '0', (v) => byteSize(v));
  const stdoutEvents = conv('stdout_events_enabled', 'false', (v) => boolean(v));
  const stderrCapture = conv('stderr_capture_maxbytes', '0', (v) => byteSize(v));
  const stderrEvents = conv('stderr_events_enabled', 'false', (v) => boolean(v));
  let serverurl = get('serverurl', null);
  if (serverurl && pyStrip(serverurl).toUpperCase() === 'AUTO') serverurl = null;
  const userRaw = get('user', null);
  const user =
    userRaw === null
      ? null
      : at(r.location('user'), () => {
          const uid = nameToUid(userRaw, ctx.types.db);
          const entry = userByUid(ctx.types.db, uid)!;
          return { name: entry.name, uid, gid: gidForUid(uid, ctx.types.db) };
        });
  const umaskRaw = get('umask', null);
  const umask = umaskRaw === null ? null : at(r.location('umask'), () => octalType(umaskRaw));
  const processName = at(r.location('process_name'), () =>
    processOrGroupName(str(get('process_name', '%(program_name)s', false))),
  );
  // tsinit extensions (supervisord ignores these keys).
  const critical = conv('critical', 'false', (v) => boolean(v));
  const prefix = conv('prefix', defaults.prefix ? 'true' : 'false', (v) => boolean(v));

  // tsinit limits (supervisord has none and loops until memory runs out): a bounded process count,
  // and process numbers that stay exact integers (past 2**53, processNum++ would never advance).
  if (numprocs > MAX_NUMPROCS) {
    at(r.location('numprocs'), () => {
      throw new ConfigError(`numprocs ${numprocs} is above tsinit's limit of ${MAX_NUMPROCS} processes per program`);
    });
  }
  if (!Number.isSafeInteger(numprocsStart) || !Number.isSafeInteger(numprocsStart + Math.max(numprocs, 0))) {
    at(r.location('numprocs_start'), () => {
      throw new ConfigError(`numprocs_start ${numprocsStart} is too large`);
    });
  }
  if (numprocs > 1 && !processName.includes('%(process_num)')) {
    throw at(r.location('process_name') ?? r.location('numprocs'), () => {
      throw new ConfigError('%(process_num) must be present within process_name when numprocs > 1');
    });
  }
  if (stopasgroup && !killasgroup) {
    at(r.location('killasgroup'), () => {
      throw new ConfigError('Cannot set stopasgroup=true and killasgroup=false');
    });
  }

  const processes: ProcessConfig[] = [];
  for (let processNum = numprocsStart; processNum < numprocs + numprocsStart; processNum++) {
    const expansions = common;
    Object.assign(expansions, { process_num: processNum, numprocs }, ctx.environExpansions);
    const environment = at(r.location('environment'), () =>
      dictOfKeyValuePairs(expand(environmentStr, expansions, 'environment')),
    );
    for (const [k, v] of Object.entries(environment)) expansions[`ENV_${k}`] = v;

    const directory = get('directory', null);

    const channel = (k: 'stdout' | 'stderr'): { logfile: LogfileValue; ch: Omit<OutputChannelConfig, 'logfile'> } => {
      const lfKey = `${k}_logfile`;
      const lfRaw = get(lfKey, null);
      const logfile: LogfileValue =
        lfRaw === null
          ? { kind: 'auto' }
          : at(r.location(lfKey), () => logfileName(expand(lfRaw, expansions, lfKey), ctx.types));
      const backups = conv(`${k}_logfile_backups`, 10, (v) => integer(v as string));
      const maxbytes = conv(`${k}_logfile_maxbytes`, '50MB', (v) => byteSize(v));
      let syslog = conv(`${k}_syslog`, false, (v) => boolean(v));
      let lf = logfile;
      if (lf.kind === 'syslog') {
        ctx.messages.push({
          level: 'warn',
          text: `For [${section}], ${lfKey}=syslog but this is deprecated and will be removed.  Use ${k}_syslog=true to enable syslog instead.`,
        });
        lf = { kind: 'none' };
        syslog = true;
      }
      if (lf.kind === 'auto' && !maxbytes) {
        ctx.messages.push({
          level: 'warn',
          text: `For [${section}], AUTO logging used for ${lfKey} without rollover, set maxbytes > 0 to avoid filling up filesystem unintentionally`,
        });
      }
      const capture = k === 'stdout' ? stdoutCapture : stderrCapture;
      const events = k === 'stdout' ? stdoutEvents : stderrEvents;
      return { logfile: lf, ch: { maxbytes, backups, captureMaxbytes: capture, eventsEnabled: events, syslog } };
    };
    const out = channel('stdout');
    const err = channel('stderr');
    let stderrLogfile = err.logfile;
    if (redirectStderr) {
      if (stderrLogfile.kind === 'file') {
        ctx.messages.push({
          level: 'warn',
          text: `For [${section}], redirect_stderr=true but stderr_logfile has also been set to a filename, the filename has been ignored`,
        });
      }
      stderrLogfile = { kind: 'none' };
    }

    const command = get('command', null, true);
    if (command === null) throw new ConfigError(`program section ${section} does not specify a command`);
    const name = at(r.location('process_name'), () => expand(processName, expansions, 'process_name'));

    processes.push({
      name,
      group: groupName,
      programName,
      section,
      file,
      kind,
      processNum,
      command,
      priority,
      autostart,
      autorestart,
      startsecs,
      startretries,
      exitcodes,
      stopsignal,
      stopsignalName: signalName(stopsignal),
      stopwaitsecs,
      stopasgroup,
      killasgroup,
      user,
      directory,
      umask,
      environment,
      redirectStderr,
      stdout: { logfile: out.logfile as OutputChannelConfig['logfile'], ...out.ch },
      stderr: { logfile: stderrLogfile as OutputChannelConfig['logfile'], ...err.ch },
      serverurl: serverurl || null,
      critical,
      prefix,
    });
  }
  // Stable sort by (priority, name), Python string order.
  return processes
    .map((p, i) => ({ p, i }))
    .sort((a, b) => a.p.priority - b.p.priority || comparePy(a.p.name, b.p.name) || a.i - b.i)
    .map(({ p }) => p);
}

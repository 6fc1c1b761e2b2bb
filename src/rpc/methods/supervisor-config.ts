// supervisor.* configuration methods: reloadConfig (reread), add/remove groups, getAllConfigInfo.
import type { LogDestination, ProcessConfig } from '../../config/model.js';
import { ControlError } from '../../supervision/control.js';
import { RpcFault } from '../faults.js';
import type { XmlRpcStruct, XmlRpcValue } from '../xmlrpc-values.js';
import type { MethodSpec, RpcContext } from './registry.js';

function logfileValue(dest: LogDestination, resolved: string | null): string {
  if (dest.kind === 'none') return 'none';
  if (dest.kind === 'auto') return resolved ?? 'auto';
  return dest.path;
}

function configInfo(
  p: ProcessConfig,
  groupPriority: number,
  inuse: boolean,
  resolved: { stdout: string | null; stderr: string | null },
): XmlRpcStruct {
  return {
    autostart: p.autostart,
    directory: p.directory ?? 'none',
    uid: p.user ? p.user.uid : 'none',
    command: p.command,
    exitcodes: [...p.exitcodes],
    group: p.group,
    group_prio: groupPriority,
    inuse,
    killasgroup: p.killasgroup,
    name: p.name,
    process_prio: p.priority,
    redirect_stderr: p.redirectStderr,
    startretries: p.startretries,
    startsecs: p.startsecs,
    stdout_capture_maxbytes: p.stdout.captureMaxbytes,
    stdout_events_enabled: p.stdout.eventsEnabled,
    stdout_logfile: logfileValue(p.stdout.logfile, resolved.stdout),
    stdout_logfile_backups: p.stdout.backups,
    stdout_logfile_maxbytes: p.stdout.maxbytes,
    stdout_syslog: p.stdout.syslog,
    stopsignal: p.stopsignal,
    stopwaitsecs: p.stopwaitsecs,
    stderr_capture_maxbytes: p.stderr.captureMaxbytes,
    stderr_events_enabled: p.stderr.eventsEnabled,
    stderr_logfile: logfileValue(p.stderr.logfile, resolved.stderr),
    stderr_logfile_backups: p.stderr.backups,
    stderr_logfile_maxbytes: p.stderr.maxbytes,
    stderr_syslog: p.stderr.syslog,
    serverurl: p.serverurl ?? 'auto',
  };
}

export function configMethods(ctx: RpcContext): [string, MethodSpec][] {
  const { control } = ctx;
  const groupParam = { name: 'name', type: 'string' } as const;
  return [
    [
      'supervisor.reloadConfig',
      {
        params: [],
        returns: 'array',
        help:
          'Reload the configuration.\n\nThe result contains three arrays containing names of process groups: added, changed, removed.\n\n' +
          '@return array result [[added, changed, removed]]',
        gated: true,
        call: () => {
          let diff;
          try {
            diff = control.reread();
          } catch (err) {
            if (err instanceof ControlError && err.code !== 'CANT_REREAD') throw err;
            throw new RpcFault('CANT_REREAD', err instanceof Error ? err.message : String(err));
          }
          return [[[...diff.added], [...diff.changed], [...diff.removed]]];
        },
      },
    ],
    [
      'supervisor.addProcessGroup',
      {
        params: [groupParam],
        returns: 'boolean',
        help:
          'Update the config for a running process from config file.\n\n@param string name name of process group to add\n' +
          '@return boolean result true if successful',
        gated: true,
        call: ([name]) => {
          try {
            control.addGroup(name as string);
          } catch (err) {
            if (err instanceof ControlError && (err.code === 'BAD_NAME' || err.code === 'ALREADY_ADDED')) {
              throw new RpcFault(err.code, name as string);
            }
            throw err;
          }
          return true;
        },
      },
    ],
    [
      'supervisor.removeProcessGroup',
      {
        params: [groupParam],
        returns: 'boolean',
        help:
          'Remove a stopped process from the active configuration.\n\n@param string name name of process group to remove\n' +
          '@return boolean result Indicates whether the removal was successful',
        gated: true,
        call: ([name]) => {
          if (!control.group(name as string)) throw new RpcFault('BAD_NAME', name as string);
          try {
            control.removeGroup(name as string);
          } catch (err) {
            if (err instanceof ControlError && (err.code === 'BAD_NAME' || err.code === 'STILL_RUNNING')) {
              throw new RpcFault(err.code, name as string);
            }
            throw err;
          }
          return true;
        },
      },
    ],
    [
      'supervisor.getAllConfigInfo',
      {
        params: [],
        returns: 'array',
        help:
          'Get info about all available process configurations. Each struct represents a single process (i.e. groups get flattened).\n\n' +
          '@return array result An array of process config info structs',
        gated: true,
        call: () => {
          const out: XmlRpcStruct[] = [];
          const groups = control.availableGroups?.() ?? control.config.groups;
          for (const g of groups) {
            const active = control.group(g.name);
            for (const p of g.processes) {
              const view = active?.processes.find((v) => v.name === p.name);
              out.push(
                configInfo(p, g.priority, active !== undefined, {
                  stdout: view?.stdoutLogfile ?? null,
                  stderr: view?.stderrLogfile ?? null,
                }),
              );
            }
          }
          // stable sort by process name, as supervisord
          return out
            .map((s, i) => ({ s, i }))
            .sort((a, b) => {
              const x = a.s['name'] as string;
              const y = b.s['name'] as string;
              return x < y ? -1 : x > y ? 1 : a.i - b.i;
            })
            .map(({ s }) => s as XmlRpcValue);
        },
      },
    ],
  ];
}

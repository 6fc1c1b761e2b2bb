# Oracle for test/integration/config/oracle.test.ts: resolves a config file with supervisord's own
# ServerOptions (Debian's supervisor package) and prints it in tsinit's --print-config shape.
# Usage: python3 oracle-dump.py FILE  -> JSON on stdout (exit 0), or supervisord's usage error (exit 2).
import json
import pwd
import sys

from supervisor import options as sopts
from supervisor.datatypes import Automatic, RestartUnconditionally, RestartWhenExitUnexpected
from supervisor.loggers import LevelsByDescription

seen_sections = []
_orig = sopts.ServerOptions.process_groups_from_parser


def _record(self, parser):
    seen_sections[:] = parser.sections()
    return _orig(self, parser)


sopts.ServerOptions.process_groups_from_parser = _record

LEVELS = {getattr(LevelsByDescription, k): k for k in
          ('critical', 'error', 'warn', 'info', 'debug', 'trace', 'blather')}


def logfile(v):
    if v is Automatic:
        return 'AUTO'
    if v is None:
        return 'NONE'
    return v


def autorestart(v):
    if v is RestartUnconditionally:
        return 'true'
    if v is RestartWhenExitUnexpected:
        return 'unexpected'
    return 'false'


def signame(n):
    s = sopts.signame(n)
    return s[3:] if s.startswith('SIG') else str(n)


def main():
    o = sopts.ServerOptions()
    o.realize(args=['-c', sys.argv[1]], doc='', progname='supervisord')
    groups = []
    processes = []
    for g in o.process_group_configs:
        cls = type(g).__name__
        if cls == 'EventListenerPoolConfig':
            kind = 'eventlistener'
        elif cls == 'FastCGIGroupConfig':
            kind = 'fcgi-program'
        elif ('group:' + g.name) in seen_sections:
            kind = 'group'
        else:
            kind = 'program'
        entry = {'name': g.name, 'type': kind, 'priority': g.priority,
                 'processes': [p.name for p in g.process_configs]}
        if kind == 'eventlistener':
            from supervisor.events import getEventNameByType
            entry['events'] = sorted(getEventNameByType(e) for e in g.pool_events)
            entry['buffer_size'] = g.buffer_size
        groups.append(entry)
        for p in g.process_configs:
            processes.append({
                'name': p.name, 'group': g.name, 'command': p.command, 'priority': p.priority,
                'autostart': bool(p.autostart), 'autorestart': autorestart(p.autorestart),
                'startsecs': p.startsecs, 'startretries': p.startretries,
                'exitcodes': list(p.exitcodes), 'stopsignal': signame(p.stopsignal),
                'stopwaitsecs': p.stopwaitsecs, 'stopasgroup': bool(p.stopasgroup),
                'killasgroup': bool(p.killasgroup), 'uid': p.uid,
                'user': pwd.getpwuid(p.uid).pw_name if p.uid is not None else None,
                'directory': p.directory,
                'umask': ('%03o' % p.umask) if p.umask is not None else None,
                'environment': p.environment or {}, 'redirect_stderr': bool(p.redirect_stderr),
                'stdout_logfile': logfile(p.stdout_logfile),
                'stdout_logfile_maxbytes': p.stdout_logfile_maxbytes,
                'stdout_logfile_backups': p.stdout_logfile_backups,
                'stdout_syslog': bool(p.stdout_syslog),
                'stderr_logfile': logfile(p.stderr_logfile),
                'stderr_logfile_maxbytes': p.stderr_logfile_maxbytes,
                'stderr_logfile_backups': p.stderr_logfile_backups,
                'stderr_syslog': bool(p.stderr_syslog),
                'serverurl': p.serverurl or None,
                'critical': False,
            })
    sd = o.configroot.supervisord
    doc = {
        'supervisord': {
            'nodaemon': bool(o.nodaemon), 'logfile': o.logfile,
            'logfile_maxbytes': o.logfile_maxbytes, 'logfile_backups': o.logfile_backups,
            'loglevel': LEVELS[o.loglevel], 'pidfile': o.pidfile, 'childlogdir': o.childlogdir,
            'minfds': o.minfds, 'minprocs': o.minprocs, 'umask': '%03o' % o.umask,
            'user': o.user, 'directory': o.directory, 'identifier': o.identifier,
            'silent': bool(o.silent), 'nocleanup': bool(o.nocleanup),
            'strip_ansi': bool(o.strip_ansi), 'environment': sd.environment or {},
        },
        'serverurl': o.serverurl,
        'servers': [c['section'] for c in o.server_configs],
        'rpcinterfaces': [name for name, _f, _e in o.rpcinterface_factories],
        'groups': groups,
        'processes': processes,
        'warnings': list(o.parse_warnings),
    }
    json.dump(doc, sys.stdout, indent=1, sort_keys=True)


main()

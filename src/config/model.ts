// The one typed model of a resolved supervisord.conf. Everything past src/config/ sees only this:
// no raw strings, no option bags. Produced by loadConfig() (src/config/load.ts); immutable by contract.

/** supervisord's log level names, lowest threshold last. */
export type LogLevel = 'critical' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'blather';

/** autorestart=: true → always, false → never, unexpected → when the exit code is not in exitcodes. */
export type AutoRestart = 'true' | 'false' | 'unexpected';

/** Where one output channel (stdout or stderr) of a program goes. */
export type LogDestination =
  | { readonly kind: 'auto' } // a file in childlogdir named <name>-<channel>---<identifier>-<random>.log
  | { readonly kind: 'none' } // read and discarded (NONE / OFF, and the deprecated `syslog` value)
  | { readonly kind: 'file'; readonly path: string }; // any path, including /dev/stdout, /dev/fd/N ...

export interface OutputChannelConfig {
  readonly logfile: LogDestination;
  readonly maxbytes: number;
  readonly backups: number;
  readonly captureMaxbytes: number;
  readonly eventsEnabled: boolean;
  readonly syslog: boolean;
}

export type ProgramKind = 'program' | 'eventlistener' | 'fcgi-program';

export interface ProcessConfig {
  /** Expanded process_name (the bare name used in log lines). */
  readonly name: string;
  /** The group it belongs to (program name, or the [group:x] name). */
  readonly group: string;
  /** Section suffix: `web` for [program:web]. */
  readonly programName: string;
  /** Full section name, e.g. `program:web`. */
  readonly section: string;
  /** File the section was first defined in (for messages). */
  readonly file: string;
  readonly kind: ProgramKind;
  readonly processNum: number;
  /** The command string after expansion and comment rules (not yet shlex-split). */
  readonly command: string;
  readonly priority: number;
  readonly autostart: boolean;
  readonly autorestart: AutoRestart;
  readonly startsecs: number;
  readonly startretries: number;
  readonly exitcodes: readonly number[];
  /** Signal number (Linux) and its name without the SIG prefix, e.g. 15 / 'TERM'. */
  readonly stopsignal: number;
  readonly stopsignalName: string;
  readonly stopwaitsecs: number;
  readonly stopasgroup: boolean;
  readonly killasgroup: boolean;
  /** user= resolved: uid/gid/name of the passwd entry, or null when unset. */
  readonly user: { readonly name: string; readonly uid: number; readonly gid: number } | null;
  readonly directory: string | null;
  readonly umask: number | null;
  /** The program's environment= merged over [supervisord] environment= (program keys win). */
  readonly environment: Readonly<Record<string, string>>;
  readonly redirectStderr: boolean;
  readonly stdout: OutputChannelConfig;
  /** When redirectStderr, stderr.logfile is { kind: 'none' }. */
  readonly stderr: OutputChannelConfig;
  /** The program's own serverurl=, or null when unset/AUTO. */
  readonly serverurl: string | null;
  /** tsinit extension: the container exits when this program goes FATAL or exits for good. */
  readonly critical: boolean;
  /** tsinit extension: prefix each output line with `<name> | ` when relayed to the container's stdout/stderr. */
  readonly prefix: boolean;
}

export interface EventListenerOptions {
  /** Upper-cased event type names as written in events= (validated against the known types). */
  readonly events: readonly string[];
  readonly bufferSize: number;
  readonly resultHandler: string;
}

export interface FcgiSocketConfig {
  readonly url: string; // unix:///abs/path or tcp://host:port
  readonly backlog: number;
  readonly owner: { readonly uid: number; readonly gid: number } | null;
  readonly mode: number;
}

export type GroupKind = 'program' | 'group' | 'eventlistener' | 'fcgi-program';

export interface GroupConfig {
  readonly name: string;
  readonly kind: GroupKind;
  readonly priority: number;
  /** Processes in group order (for [group:x]: programs= order, then each program's processes). */
  readonly processes: readonly ProcessConfig[];
  /** Only for eventlistener groups. */
  readonly listener: EventListenerOptions | null;
  /** Only for fcgi-program groups. */
  readonly fcgiSocket: FcgiSocketConfig | null;
}

export interface Credentials {
  readonly username: string;
  /** Plain text, or `{SHA}<hex>`. */
  readonly password: string;
}

export type HttpServerConfig =
  | {
      readonly kind: 'unix';
      readonly section: string;
      readonly file: string;
      readonly chmod: number;
      readonly chown: { readonly uid: number; readonly gid: number } | null;
      readonly credentials: Credentials | null;
    }
  | {
      readonly kind: 'inet';
      readonly section: string;
      /** '' means all interfaces. */
      readonly host: string;
      readonly port: number;
      readonly credentials: Credentials | null;
    };

export interface SupervisordSection {
  readonly nodaemon: boolean;
  /** Absolute path, or 'syslog'. */
  readonly logfile: string;
  readonly logfileMaxbytes: number;
  readonly logfileBackups: number;
  readonly loglevel: LogLevel;
  readonly pidfile: string;
  readonly childlogdir: string;
  readonly minfds: number;
  readonly minprocs: number;
  readonly umask: number;
  readonly user: string | null;
  readonly directory: string | null;
  readonly identifier: string;
  readonly silent: boolean;
  readonly nocleanup: boolean;
  readonly stripAnsi: boolean;
  readonly environment: Readonly<Record<string, string>>;
}

export interface SupervisorctlSection {
  readonly serverurl: string;
  readonly username: string | null;
  readonly password: string | null;
  readonly prompt: string;
}

export type LogFormat = 'text' | 'json';

/** The [tsinit] section: tsinit's own options (supervisord ignores the section). */
export interface TsinitSection {
  /** Format of tsinit's own log lines: supervisord's text lines or pino JSON. */
  readonly logFormat: LogFormat;
  /** Default for every program's `prefix=`. */
  readonly prefix: boolean;
  /** host:port of the health/metrics HTTP listener, or null when off (the default). */
  readonly healthListen: { readonly host: string; readonly port: number } | null;
  /** Grace between SIGTERM and SIGKILL for leftover descendants at exit, in seconds. */
  readonly killGraceSecs: number;
}

export interface Config {
  /** Absolute path of the main config file. */
  readonly configFile: string;
  /** Every file read, in order (main first, then includes). */
  readonly files: readonly string[];
  readonly supervisord: SupervisordSection;
  readonly tsinit: TsinitSection;
  /** Groups in start order: (priority, name). */
  readonly groups: readonly GroupConfig[];
  readonly httpServers: readonly HttpServerConfig[];
  /** unix://<file> of the first unix server, else http://host:port of the first inet server, else null. */
  readonly serverurl: string | null;
  readonly rpcinterfaces: readonly string[];
  readonly supervisorctl: SupervisorctlSection;
  /** Parse-time messages supervisord logs at startup (WARN/INFO), emitted once the logger exists. */
  readonly messages: readonly { readonly level: 'warn' | 'info'; readonly text: string }[];
}

/** A config error: supervisord's message text (already naming section/file where supervisord does). */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

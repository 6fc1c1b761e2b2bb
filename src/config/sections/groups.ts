// supervisord's process_groups_from_parser (spec §2.3–2.5, §2.10): [group:x] (heterogeneous),
// [program:x] (homogeneous), [eventlistener:x] pools and [fcgi-program:x] groups, sorted by
// (priority, name). Read in supervisord's order so the first error reported is the same one.
import type { LoadContext } from '../context.js';
import { readerFor } from '../context.js';
import {
  boolean,
  colonSeparatedUserGroup,
  gidForUid,
  integer,
  listOfStrings,
  nameToUid,
  octalType,
  parsePyInt,
  processOrGroupName,
} from '../datatypes.js';
import { at, withMessage } from '../errors.js';
import { DEFAULT_RESULT_HANDLER, EVENT_TYPE_NAMES } from '../event-types.js';
import type { FcgiSocketConfig, GroupConfig, ProcessConfig } from '../model.js';
import { ConfigError } from '../model.js';
import { normalizePath } from '../pypath.js';
import { pyRepr } from '../../common/python-repr.js';
import type { ProgramDefaults } from './program.js';
import { processesFromSection } from './program.js';

function compareGroups(a: GroupConfig, b: GroupConfig): number {
  if (a.priority !== b.priority) return a.priority - b.priority;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

export function readGroups(ctx: LoadContext, defaults: ProgramDefaults, getuid: () => number): GroupConfig[] {
  const sections = [...ctx.doc.sections.keys()];
  const has = (s: string): boolean => ctx.doc.sections.has(s);
  const groups: { g: GroupConfig; section: string }[] = [];
  const exclude = new Set<string>();
  const memberOf = new Map<string, string>();
  const ex = { here: ctx.here };

  // Heterogeneous groups.
  for (const groupSection of sections) {
    if (!groupSection.startsWith('group:')) continue;
    const r = readerFor(ctx, groupSection);
    const groupName = processOrGroupName(groupSection.slice(groupSection.indexOf(':') + 1));
    const programs = r.conv('programs', null, (v) => listOfStrings(v), { expansions: ex });
    const priority = r.conv('priority', 999, (v) => integer(v as string | number), { expansions: ex });
    const processes: ProcessConfig[] = [];
    // supervisord reuses its loop variable: after the first member, errors name the previous member's section.
    let named = groupSection;
    for (const program of programs) {
      const programSection = `program:${program}`;
      const fcgiSection = `fcgi-program:${program}`;
      const loc = r.location('programs');
      if (!has(programSection) && !has(fcgiSection)) {
        at(loc, () => {
          throw new ConfigError(`[${named}] names unknown program or fcgi-program ${program}`);
        });
      }
      if (has(programSection) && has(fcgiSection)) {
        at(loc, () => {
          throw new ConfigError(`[${named}] name ${program} is ambiguous (exists as program and fcgi-program)`);
        });
      }
      named = has(programSection) ? programSection : fcgiSection;
      const previous = memberOf.get(named);
      if (previous !== undefined) {
        at(loc, () => {
          throw new ConfigError(
            `[${groupSection}] lists ${program}, which is already a member of [${previous}] (tsinit does not allow a program in two groups)`,
          );
        });
      }
      memberOf.set(named, groupSection);
      exclude.add(named);
      processes.push(...processesFromSection(ctx, named, groupName, 'program', defaults));
    }
    groups.push({
      section: groupSection,
      g: { name: groupName, kind: 'group', priority, processes, listener: null, fcgiSocket: null },
    });
  }

  // Homogeneous groups.
  for (const section of sections) {
    if (!section.startsWith('program:') || exclude.has(section)) continue;
    const r = readerFor(ctx, section);
    const programName = processOrGroupName(section.slice(section.indexOf(':') + 1));
    const priority = r.conv('priority', 999, (v) => integer(v as string | number), { expansions: ex });
    const processes = processesFromSection(ctx, section, programName, 'program', defaults);
    groups.push({ section, g: { name: programName, kind: 'program', priority, processes, listener: null, fcgiSocket: null } });
  }

  // Event listener pools.
  for (const section of sections) {
    if (!section.startsWith('eventlistener:')) continue;
    const r = readerFor(ctx, section);
    const poolName = section.slice(section.indexOf(':') + 1);
    const priority = r.conv('priority', -1, (v) => integer(v as string | number), { expansions: ex });
    const bufferSize = r.conv('buffer_size', 10, (v) => integer(v as string | number), { expansions: ex });
    if (bufferSize < 1) {
      at(r.location('buffer_size'), () => {
        throw new ConfigError(`[${section}] section sets invalid buffer_size (${bufferSize})`);
      });
    }
    const resultHandler = r.get('result_handler', DEFAULT_RESULT_HANDLER, { expansions: ex });
    if (resultHandler !== DEFAULT_RESULT_HANDLER) {
      at(r.location('result_handler'), () => {
        throw new ConfigError(
          `${resultHandler} cannot be resolved within [${section}] (tsinit supports only ${DEFAULT_RESULT_HANDLER})`,
        );
      });
    }
    const names = r.conv('events', '', (v) => listOfStrings(v as string), { expansions: ex }).map((x) => x.toUpperCase());
    const events = [...new Set(names)];
    if (events.length === 0) throw new ConfigError(`[${section}] section requires an "events" line`);
    for (const e of events) {
      if (!EVENT_TYPE_NAMES.has(e)) {
        at(r.location('events'), () => {
          throw new ConfigError(`Unknown event type ${e} in [${section}] events`);
        });
      }
    }
    const redirect = r.conv('redirect_stderr', 'false', (v) => boolean(v), { expansions: ex });
    if (redirect) {
      at(r.location('redirect_stderr'), () => {
        throw new ConfigError(
          `[${section}] section sets redirect_stderr=true but this is not allowed because it will interfere with the eventlistener protocol`,
        );
      });
    }
    const processes = processesFromSection(ctx, section, poolName, 'eventlistener', defaults);
    groups.push({
      section,
      g: {
        name: poolName,
        kind: 'eventlistener',
        priority,
        processes,
        listener: { events, bufferSize, resultHandler },
        fcgiSocket: null,
      },
    });
  }

  // FastCGI groups.
  for (const section of sections) {
    if (!section.startsWith('fcgi-program:') || exclude.has(section)) continue;
    const r = readerFor(ctx, section);
    const programName = processOrGroupName(section.slice(section.indexOf(':') + 1));
    const priority = r.conv('priority', 999, (v) => integer(v as string | number), { expansions: ex });
    const procUser = r.get('user', null, { expansions: ex });
    const procUid = procUser === null ? null : at(r.location('user'), () => nameToUid(procUser, ctx.types.db));
    const backlogRaw = r.get('socket_backlog', null, { expansions: ex });
    let backlog: number | null = null;
    if (backlogRaw !== null) {
      backlog = at(r.location('socket_backlog'), () => integer(backlogRaw));
      if (backlog < 1 || backlog > 65535) {
        at(r.location('socket_backlog'), () => {
          throw new ConfigError(`Invalid socket_backlog value ${backlog}`);
        });
      }
    }
    const ownerRaw = r.get('socket_owner', null, { expansions: ex });
    let owner: [number, number] | null = null;
    if (ownerRaw !== null) {
      owner = at(r.location('socket_owner'), () => {
        try {
          return colonSeparatedUserGroup(ownerRaw, ctx.types.db);
        } catch {
          throw new ConfigError(`Invalid socket_owner value ${ownerRaw}`);
        }
      });
    }
    const modeRaw = r.get('socket_mode', null, { expansions: ex });
    let mode: number | null = null;
    if (modeRaw !== null) {
      mode = at(r.location('socket_mode'), () => {
        try {
          return octalType(modeRaw);
        } catch {
          throw new ConfigError(`Invalid socket_mode value ${modeRaw}`);
        }
      });
    }
    const socket = r.get('socket', null, { expansions: { program_name: programName, ...ex } });
    if (!socket) throw new ConfigError(`[${section}] section requires a "socket" line`);
    const fcgiSocket = withMessage(
      () => at(r.location('socket'), () => parseFcgiSocket(ctx, socket, procUid, owner, mode, backlog, getuid)),
      (m) => `${m} in [${section}] socket`,
    );
    const processes = processesFromSection(ctx, section, programName, 'fcgi-program', defaults);
    groups.push({ section, g: { name: programName, kind: 'fcgi-program', priority, processes, listener: null, fcgiSocket } });
  }

  // tsinit rejects duplicate group names (supervisord silently drops the later group at startup).
  const seen = new Map<string, string>();
  for (const { g, section } of groups) {
    const prev = seen.get(g.name);
    if (prev !== undefined) {
      throw new ConfigError(`Duplicate group name ${pyRepr(g.name)}: defined by [${prev}] and [${section}]`);
    }
    seen.set(g.name, section);
  }

  return groups
    .map(({ g }, i) => ({ g, i }))
    .sort((a, b) => compareGroups(a.g, b.g) || a.i - b.i)
    .map(({ g }) => g);
}

function parseFcgiSocket(
  ctx: LoadContext,
  sock: string,
  procUid: number | null,
  socketOwner: [number, number] | null,
  socketMode: number | null,
  backlog: number | null,
  getuid: () => number,
): FcgiSocketConfig {
  // supervisord raises ValueError(fmt, arg), whose str() is the tuple's repr.
  const tupleMsg = (fmt: string, arg: string): string => `(${pyRepr(fmt)}, ${pyRepr(arg)})`;
  if (sock.startsWith('unix://')) {
    const path = sock.slice(7);
    if (!path.startsWith('/')) throw new ConfigError(tupleMsg('Unix socket path %s is not an absolute path', path));
    const normalized = normalizePath(path, ctx.types.cwd, ctx.types.home, ctx.types.db);
    let owner = socketOwner;
    if (owner === null && procUid !== null && procUid !== getuid()) owner = [procUid, gidForUid(procUid, ctx.types.db)];
    return {
      url: `unix://${normalized}`,
      // 0: listen() with the system default (SOMAXCONN), as supervisord does without socket_backlog.
      backlog: backlog ?? 0,
      owner: owner ? { uid: owner[0], gid: owner[1] } : null,
      mode: socketMode ?? 0o700,
    };
  }
  if (socketOwner !== null || socketMode !== null) {
    throw new ConfigError('socket_owner and socket_mode params should only be used with a Unix domain socket');
  }
  const m = /^tcp:\/\/([^\s:]+):(\d+)$/.exec(sock);
  if (m) {
    const port = parsePyInt(m[2]!, 10)!;
    if (port < 1) throw new ConfigError(`${port} is below lower bound (1)`);
    if (port > 0xffff) throw new ConfigError(`${port} is above upper bound (65535)`);
    return { url: `tcp://${m[1]!.toLowerCase()}:${port}`, backlog: backlog ?? 0, owner: null, mode: 0 };
  }
  throw new ConfigError(tupleMsg('Bad socket format %s', sock));
}

// [inet_http_server*] and [unix_http_server*] (spec §2.6, §2.7): every section whose name starts
// with those words is one server; inet servers are listed first, like supervisord does.
import type { LoadContext } from '../context.js';
import { readerFor } from '../context.js';
import { colonSeparatedUserGroup, inetAddress, octalType } from '../datatypes.js';
import { at } from '../errors.js';
import type { Credentials, HttpServerConfig } from '../model.js';
import { ConfigError } from '../model.js';
import { pyStrip } from '../pyrepr.js';
import { normalizePath } from '../pypath.js';
import type { SectionReader } from '../section-reader.js';

function credentials(r: SectionReader): Credentials | null {
  const username = r.get('username', null);
  const password = r.get('password', null);
  if (username !== null || password !== null) {
    if (username === null || password === null) {
      at(r.location(username === null ? 'password' : 'username'), () => {
        throw new ConfigError(
          `Section [${r.section}] contains incomplete authentication: If a username or a password is specified, both the username and password must be specified`,
        );
      });
    }
    return { username: username!, password: password! };
  }
  return null;
}

export function readHttpServers(ctx: LoadContext): HttpServerConfig[] {
  const sections = [...ctx.doc.sections.keys()];
  const out: HttpServerConfig[] = [];
  for (const section of sections) {
    if (!section.startsWith('inet_http_server')) continue;
    const r = readerFor(ctx, section);
    const creds = credentials(r);
    const port = r.get('port', null);
    if (port === null) throw new ConfigError(`section [${section}] has no port value`);
    const [host, portNum] = at(r.location('port'), () => inetAddress(port));
    out.push({ kind: 'inet', section, host, port: portNum, credentials: creds });
  }
  for (const section of sections) {
    if (!section.startsWith('unix_http_server')) continue;
    const r = readerFor(ctx, section);
    const sfile = r.get('file', null, { expansions: { here: ctx.here } });
    if (sfile === null) throw new ConfigError(`section [${section}] has no file value`);
    const file = normalizePath(pyStrip(sfile), ctx.types.cwd, ctx.types.home, ctx.types.db);
    const creds = credentials(r);
    const chownRaw = r.get('chown', null);
    let chown: { uid: number; gid: number } | null = null;
    if (chownRaw !== null) {
      const [uid, gid] = at(r.location('chown'), () => {
        try {
          return colonSeparatedUserGroup(chownRaw, ctx.types.db);
        } catch {
          throw new ConfigError(`Invalid sockchown value ${chownRaw}`);
        }
      });
      chown = { uid, gid };
    }
    const chmodRaw = r.get('chmod', null);
    let chmod = 0o700;
    if (chmodRaw !== null) {
      chmod = at(r.location('chmod'), () => {
        try {
          return octalType(chmodRaw);
        } catch {
          throw new ConfigError(`Invalid chmod value ${chmodRaw}`);
        }
      });
    }
    out.push({ kind: 'unix', section, file, chmod, chown, credentials: creds });
  }
  return out;
}

/** supervisord's fallback server URL: first unix server, else first inet server, else null. */
export function serverUrlOf(servers: readonly HttpServerConfig[]): string | null {
  for (const s of servers) if (s.kind === 'unix') return `unix://${s.file}`;
  for (const s of servers) if (s.kind === 'inet') return `http://${s.host || 'localhost'}:${s.port}`;
  return null;
}

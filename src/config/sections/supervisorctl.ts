// [supervisorctl] (spec §2.8) as tsinit's `ctl` reads it; absent section → defaults.
import type { LoadContext } from '../context.js';
import { readerFor } from '../context.js';
import type { SupervisorctlSection } from '../model.js';
import { normalizePath } from '../pypath.js';

export function readSupervisorctl(ctx: LoadContext): SupervisorctlSection {
  const r = readerFor(ctx, 'supervisorctl');
  let serverurl = r.get('serverurl', 'http://localhost:9001', { expansions: { here: ctx.here } });
  if (serverurl.startsWith('unix://')) {
    serverurl = `unix://${normalizePath(serverurl.slice(7), ctx.types.cwd, ctx.types.home, ctx.types.db)}`;
  }
  return {
    serverurl,
    username: r.get('username', null),
    password: r.get('password', null),
    prompt: r.get('prompt', 'supervisor'),
  };
}

// [rpcinterface:x] (spec §2.9): tsinit implements supervisord's standard factory only; the section
// enables the `supervisor.*` XML-RPC namespace. Other factories are Python plugins: rejected clearly.
import type { LoadContext } from '../context.js';
import { readerFor } from '../context.js';
import { at } from '../errors.js';
import { ConfigError } from '../model.js';
import { pyStrip } from '../pyrepr.js';

export const FACTORY_KEY = 'supervisor.rpcinterface_factory';
export const STANDARD_FACTORY = 'supervisor.rpcinterface:make_main_rpcinterface';

/** The names x of the [rpcinterface:x] sections, in file order. */
export function readRpcInterfaces(ctx: LoadContext): string[] {
  const names: string[] = [];
  for (const section of ctx.doc.sections.keys()) {
    if (!section.startsWith('rpcinterface:')) continue;
    const r = readerFor(ctx, section);
    const name = section.slice(section.indexOf(':') + 1);
    const spec = r.get(FACTORY_KEY, null);
    if (spec === null) throw new ConfigError(`section [${section}] does not specify a ${FACTORY_KEY}`);
    if (pyStrip(spec) !== STANDARD_FACTORY) {
      at(r.location(FACTORY_KEY), () => {
        throw new ConfigError(
          `${spec} cannot be resolved within [${section}] (tsinit supports only ${STANDARD_FACTORY})`,
        );
      });
    }
    for (const k of r.options()) {
      if (k === FACTORY_KEY) continue;
      r.get(k, null); // expanded like supervisord does (errors surface here)
      at(r.location(k), () => {
        throw new ConfigError(
          `Could not make supervisor rpc interface: [${section}] option ${k} is not accepted by ${STANDARD_FACTORY}`,
        );
      });
    }
    names.push(name);
  }
  return names;
}

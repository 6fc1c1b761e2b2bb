// [tsinit]: tsinit's own options (supervisord ignores this section).
//   log_format = text | json   (default text)
//   prefix = true | false      (default false; each program's prefix= overrides)
//   health = [host:]port | off (default off; e.g. 127.0.0.1:9002; a bare port binds 0.0.0.0)
//   kill_grace_secs = int >= 0 (default 5)
import type { LoadContext } from '../context.js';
import { readerFor } from '../context.js';
import { boolean, inetAddress, integer } from '../datatypes.js';
import { withMessage } from '../errors.js';
import type { LogFormat, TsinitSection } from '../model.js';
import { ConfigError } from '../model.js';
import { pyRepr } from '../../common/python-repr.js';
import { pyStrip } from '../pyrepr.js';

export function parseLogFormat(v: string): LogFormat {
  const s = pyStrip(v).toLowerCase();
  if (s === 'text' || s === 'json') return s;
  throw new ConfigError(`invalid log_format value ${pyRepr(v)} (expected text or json)`);
}

export function readTsinitSection(ctx: LoadContext): TsinitSection {
  return withMessage(() => read(ctx), (m) => `${m} in section 'tsinit'`);
}

function read(ctx: LoadContext): TsinitSection {
  const r = readerFor(ctx, 'tsinit');
  const ex = { expansions: { here: ctx.here } };
  const logFormat = r.conv('log_format', 'text', (v) => parseLogFormat(v), ex);
  const prefix = r.conv('prefix', 'false', (v) => boolean(v), ex);
  const healthListen = r.conv(
    'health',
    'off',
    (v) => {
      const s = pyStrip(v);
      if (s === '' || ['off', 'none', 'false', 'no'].includes(s.toLowerCase())) return null;
      const [host, port] = inetAddress(s);
      return { host: host || '0.0.0.0', port };
    },
    ex,
  );
  const killGraceSecs = r.conv(
    'kill_grace_secs',
    '5',
    (v) => {
      const n = integer(v);
      if (n < 0) throw new ConfigError(`kill_grace_secs must be >= 0, got ${n}`);
      return n;
    },
    ex,
  );
  return { logFormat, prefix, healthListen, killGraceSecs };
}

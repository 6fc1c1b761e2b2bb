// HTTP Basic authentication as supervisord checks it: `user:password` split at the first colon (the
// password may contain colons); a configured password starting with `{SHA}` is compared with the
// lowercase hex SHA-1 of the supplied one, any other with plain equality.
import type { Credentials } from '../config/model.js';

// node:crypto is loaded on the first authenticated request, not at startup (launch time, BENCHMARKS.md §1).
const crypto = (): typeof import('node:crypto') => process.getBuiltinModule('node:crypto');

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && crypto().timingSafeEqual(x, y);
}

export function passwordMatches(configured: string, supplied: string): boolean {
  if (configured.startsWith('{SHA}')) {
    const digest = crypto().createHash('sha1').update(supplied, 'utf8').digest('hex');
    return safeEqual(configured.slice(5), digest);
  }
  return safeEqual(configured, supplied);
}

/** Whether an Authorization header value grants access. */
export function isAuthorized(header: string | undefined, credentials: Credentials): boolean {
  if (!header) return false;
  const m = /^\s*basic\s+(\S+)\s*$/i.exec(header);
  if (!m) return false;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon === -1) return false;
  const user = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  // evaluate both so the time taken does not tell which part was wrong
  const userOk = safeEqual(user, credentials.username);
  const passOk = passwordMatches(credentials.password, password);
  return userOk && passOk;
}

// The [supervisorctl] section as supervisorctl reads it: serverurl (default http://localhost:9001, with
// %(here)s and %(ENV_X)s; unix:// paths normalized), username, password (%(ENV_X)s). This is the only
// place `tsinit ctl` reads configuration.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expand, type Expansions } from '../config/expand.js';
import { emptyIniDocument, parseIniInto } from '../config/ini-lexer.js';
import { findDefaultConfig } from '../config/search.js';

export interface CtlSettings {
  readonly serverurl: string;
  readonly username: string | null;
  readonly password: string | null;
  readonly prompt: string;
}

export const DEFAULT_SERVERURL = 'http://localhost:9001';

export class CtlConfigError extends Error {
  override readonly name = 'CtlConfigError';
}

function envExpansions(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[`ENV_${k}`] = v;
  return out;
}

export function normalizeServerurl(url: string): string {
  if (url.startsWith('unix://')) return `unix://${path.resolve(url.slice(7))}`;
  return url;
}

/**
 * Read the settings from `file` (or the default search paths when null; none found = defaults).
 * Throws CtlConfigError with supervisorctl's message on a missing/unreadable file or section.
 */
export function readCtlSettings(file: string | null, env: NodeJS.ProcessEnv = process.env, argv0 = process.argv[1] ?? 'tsinit'): CtlSettings {
  const defaults: CtlSettings = { serverurl: DEFAULT_SERVERURL, username: null, password: null, prompt: 'supervisor' };
  const chosen = file ?? findDefaultConfig(argv0, process.cwd());
  if (chosen === null) return defaults;
  if (!existsSync(chosen)) throw new CtlConfigError(`could not find config file ${chosen}`);
  let text: string;
  try {
    text = readFileSync(chosen, 'utf8');
  } catch {
    throw new CtlConfigError(`could not read config file ${chosen}`);
  }
  const doc = emptyIniDocument();
  try {
    parseIniInto(doc, text, chosen);
  } catch (err) {
    throw new CtlConfigError(err instanceof Error ? err.message : String(err));
  }
  const section = doc.sections.get('supervisorctl');
  if (!section) throw new CtlConfigError('.ini file does not include supervisorctl section');
  const here = path.dirname(path.resolve(chosen));
  const envs: Expansions = envExpansions(env);
  const get = (key: string, withHere: boolean): string | null => {
    const opt = section.options.get(key) ?? doc.defaults.get(key);
    if (!opt) return null;
    try {
      return expand(opt.value, withHere ? { ...envs, here } : envs, `supervisorctl.${key}`);
    } catch (err) {
      throw new CtlConfigError(err instanceof Error ? err.message : String(err));
    }
  };
  return {
    serverurl: normalizeServerurl(get('serverurl', true) ?? DEFAULT_SERVERURL),
    username: get('username', false),
    password: get('password', false),
    prompt: get('prompt', false) ?? 'supervisor',
  };
}

// The child environment, layered as supervisord's _spawn_as_child() does (spec §4.9), later wins:
// tsinit's own environment, SUPERVISOR_ENABLED, SUPERVISOR_SERVER_URL, SUPERVISOR_PROCESS_NAME,
// SUPERVISOR_GROUP_NAME, then the configured environment (which may override all of them).
import type { ProcessConfig } from '../config/model.js';

export type ChildEnvSource = Pick<ProcessConfig, 'name' | 'group' | 'serverurl' | 'environment'>;

/**
 * @param proc          the process (its `environment` is already [supervisord] environment= + program's)
 * @param configServerurl  Config.serverurl: used when the program has no serverurl= of its own
 * @param ownEnv        tsinit's environment at startup (process.env)
 */
export function buildChildEnv(
  proc: ChildEnvSource,
  configServerurl: string | null,
  ownEnv: Readonly<Record<string, string | undefined>> = process.env,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(ownEnv)) if (v !== undefined) env[k] = v;
  env.SUPERVISOR_ENABLED = '1';
  const serverurl = proc.serverurl ?? configServerurl;
  if (serverurl) env.SUPERVISOR_SERVER_URL = serverurl;
  env.SUPERVISOR_PROCESS_NAME = proc.name;
  if (proc.group) env.SUPERVISOR_GROUP_NAME = proc.group;
  for (const [k, v] of Object.entries(proc.environment)) env[k] = v;
  return env;
}

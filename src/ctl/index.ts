// `tsinit ctl`: supervisorctl's command-line client. runCtl(argv) returns the exit code.
import { createInterface } from 'node:readline';
import { doAdd, doAvail, doOpen, doReload, doRemove, doReread, doShutdown, doUpdate, doVersion } from './commands/admin.js';
import { doClear, doFg, doMaintail, doTail } from './commands/logs.js';
import { doPid, doRestart, doSignal, doStart, doStatus, doStop } from './commands/process.js';
import { CtlUsageError, parseCtlArgs } from './args.js';
import { CtlConfigError, normalizeServerurl, readCtlSettings } from './ctl-config.js';
import { Controller, type CommandFn, type CtlIo } from './controller.js';
import { CTL_USAGE } from './help.js';

export const COMMANDS: ReadonlyMap<string, CommandFn> = new Map<string, CommandFn>([
  ['add', doAdd],
  ['avail', doAvail],
  ['clear', doClear],
  ['fg', doFg],
  ['maintail', doMaintail],
  ['open', doOpen],
  ['pid', doPid],
  ['reload', doReload],
  ['remove', doRemove],
  ['reread', doReread],
  ['restart', doRestart],
  ['shutdown', doShutdown],
  ['signal', doSignal],
  ['start', doStart],
  ['status', doStatus],
  ['stop', doStop],
  ['tail', doTail],
  ['update', doUpdate],
  ['version', doVersion],
]);

export function processIo(): CtlIo {
  return {
    out: (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
    stdin: process.stdin,
    onInterrupt: (fn) => {
      const handler = (): void => fn();
      process.on('SIGINT', handler);
      return () => void process.off('SIGINT', handler);
    },
  };
}

async function interactiveLoop(ctl: Controller, prompt: string): Promise<void> {
  await ctl.onecmd('status');
  const rl = createInterface({ input: ctl.io.stdin, output: process.stdout, prompt: `${prompt}> ` });
  rl.prompt();
  for await (const line of rl) {
    if (await ctl.onecmd(line)) break;
    rl.prompt();
  }
  rl.close();
  ctl.output('');
}

export async function runCtl(argv: readonly string[], io: CtlIo = processIo()): Promise<number> {
  let args;
  try {
    args = parseCtlArgs(argv);
  } catch (err) {
    if (!(err instanceof CtlUsageError)) throw err;
    io.err(`Error: ${err.message}\nFor help, use tsinit ctl -h\n`);
    return 2;
  }
  if (args.help) {
    io.out(CTL_USAGE);
    return 0;
  }
  let settings;
  try {
    settings = readCtlSettings(args.configFile);
  } catch (err) {
    if (!(err instanceof CtlConfigError)) throw err;
    io.err(`Error: ${err.message}\nFor help, use tsinit ctl -h\n`);
    return 2;
  }
  const server = {
    serverurl: args.serverurl !== null ? normalizeServerurl(args.serverurl) : settings.serverurl,
    username: args.username ?? settings.username,
    password: args.password ?? settings.password,
  };
  const interactive = args.command.length === 0;
  const ctl = new Controller(server, io, COMMANDS, interactive);
  try {
    if (!interactive) {
      await ctl.onecmd(args.command.join(' '));
      return ctl.exitstatus;
    }
    await interactiveLoop(ctl, settings.prompt);
    return 0;
  } finally {
    ctl.close();
  }
}

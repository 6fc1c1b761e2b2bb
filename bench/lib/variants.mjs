// The supervisors compared. Each variant turns a conf file into the command that trun execs.
// Node 24 runs with --disable-sigusr1, as the Docker image's launcher (examples/image/tsinit.sh) does.

export function makeVariants({ tsinitJs, node20, node24 }) {
  const v = {
    'tsinit-node20': {
      label: 'tsinit (Node 20)',
      tsinit: true,
      node: node20,
      cmd: (conf) => [node20, tsinitJs, '-c', conf],
      ctl: (conf) => [node20, tsinitJs, 'ctl', '-c', conf],
    },
  };
  if (node24) {
    v['tsinit-node24'] = {
      label: 'tsinit (Node 24)',
      tsinit: true,
      node: node24,
      cmd: (conf) => [node24, '--disable-sigusr1', tsinitJs, '-c', conf],
      ctl: (conf) => [node24, tsinitJs, 'ctl', '-c', conf],
    };
  }
  v.supervisord = { label: 'supervisord 4.2', cmd: (conf) => ['/usr/bin/supervisord', '-n', '-c', conf] };
  return v;
}

/**
 * Extra variants for the idle measure only: the same bundle with V8's memory reducer off. The reducer is
 * a V8 timer (about every 8 s on Node 24) that shrinks the heap after allocation stops; it can only be
 * switched off on the command line (v8.setFlagsFromString at run time is too late on Node 24).
 */
export function idleExtras({ tsinitJs, node20, node24 }) {
  const v = {
    'tsinit-node20-nmr': { label: 'tsinit, Node 20, --no-memory-reducer', tsinit: true, cmd: (conf) => [node20, '--no-memory-reducer', tsinitJs, '-c', conf] },
  };
  if (node24) {
    v['tsinit-node24-nmr'] = {
      label: 'tsinit, Node 24, --no-memory-reducer',
      tsinit: true,
      cmd: (conf) => [node24, '--disable-sigusr1', '--no-memory-reducer', tsinitJs, '-c', conf],
    };
  }
  return v;
}

/**
 * An extra variant for the launch measure only: Node 24 started exactly as the image's launcher
 * (examples/image/tsinit.sh) starts it: --disable-sigusr1 --no-memory-reducer, and TSINIT_CODE_CACHE pointing at
 * the code cache of a warm-up run (the image writes it at build time). env(1) sets the variable (about 1 ms more).
 */
export function launchExtras({ tsinitJs, node24, codeCache }) {
  if (!node24 || !codeCache) return {};
  return {
    'tsinit-node24-image': {
      label: "tsinit, Node 24, as the image's launcher",
      tsinit: true,
      cmd: (conf) => ['/usr/bin/env', `TSINIT_CODE_CACHE=${codeCache}`, node24, '--disable-sigusr1', '--no-memory-reducer', tsinitJs, '-c', conf],
    },
  };
}

/** tini runs one program; `-g` sends the stop signal to the child's whole process group. */
export const tiniCmd = (argv) => ['/usr/bin/tini', '-g', '--', ...argv];

/** The shell line starting `count` copies of argv in the background and waiting (tini's "programs"). */
export function shellMany(argv, count) {
  const one = argv.map(shq).join(' ');
  return ['/bin/sh', '-c', `i=0; while [ $i -lt ${count} ]; do ${one} & i=$((i+1)); done; wait`];
}

export function shq(s) {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${String(s).replace(/'/g, `'\\''`)}'`;
}

// Raw wait statuses → supervisord's texts (spec §3.5), plus Python's repr and errno names used in messages.
import { describe, expect, it } from 'vitest';
import { errnoName } from '../../../src/os/errno-name.js';
import { parseProcStat } from '../../../src/os/proc-tree.js';
import { pyRepr } from '../../../src/common/python-repr.js';
import { decodeWaitStatus, exitMessage, signame } from '../../../src/common/exit-status.js';
import { signalNumber } from '../../../src/os/wait-status.js';

describe('decodeWaitStatus', () => {
  it.each([
    [0, 'exit status 0', 0, null],
    [1 << 8, 'exit status 1', 1, null],
    [127 << 8, 'exit status 127', 127, null],
    [15, 'terminated by SIGTERM', null, 15],
    [9, 'terminated by SIGKILL', null, 9],
    [11 | 0x80, 'terminated by SIGSEGV (core dumped)', null, 11],
    [29, 'terminated by SIGPOLL', null, 29],
    [40, 'terminated by signal 40', null, 40],
    [0x137f, 'unknown termination cause 0x137f', null, null],
  ])('%i → %s', (status, message, code, signal) => {
    const d = decodeWaitStatus(status);
    expect(d.message).toBe(message);
    expect(d.code).toBe(code);
    expect(d.signal).toBe(signal);
  });

  it('names signals as supervisord does', () => {
    expect(signame(6)).toBe('SIGABRT');
    expect(signame(17)).toBe('SIGCHLD');
    expect(signame(34)).toBe('SIGRTMIN');
    expect(signame(35)).toBe('signal 35');
    expect(exitMessage({ code: null, signal: 15, coreDumped: false })).toBe('terminated by SIGTERM');
    expect(exitMessage({ code: 3, signal: null, coreDumped: false })).toBe('exit status 3');
    expect(signalNumber('SIGTERM')).toBe(15);
    expect(signalNumber('NOPE')).toBeNull();
  });
});

describe('pyRepr', () => {
  it.each([
    ['abc', "'abc'"],
    ["it's", `"it's"`],
    [`it's "x`, `'it\\'s "x'`],
    ['a\\b', "'a\\\\b'"],
    ['tab\there', "'tab\\there'"],
    ['nl\n\r', "'nl\\n\\r'"],
    ['\x00\x7f\x9f', "'\\x00\\x7f\\x9f'"],
    ['é ü €', "'é ü €'"],
    ['\u2028', "'\\u2028'"],
  ])('%j → %s', (s, r) => expect(pyRepr(s)).toBe(r));
});

describe('errnoName / parseProcStat', () => {
  it('gives Python errno names', () => {
    expect(errnoName(2)).toBe('ENOENT');
    expect(errnoName(-8)).toBe('ENOEXEC');
    expect(errnoName(11)).toBe('EAGAIN');
  });

  it('parses /proc/<pid>/stat with odd command names', () => {
    expect(parseProcStat('42 (a) b (c)) Z 1 42 42 0 -1')).toEqual({ pid: 42, ppid: 1, pgrp: 42, state: 'Z', comm: 'a) b (c)' });
  });
});

// Ported from supervisor/tests/test_datatypes.py (4.2.5) plus the acceptance rules of spec §1.6.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TypeContext } from '../../../src/config/datatypes.js';
import {
  autoRestart,
  boolean,
  byteSize,
  colonSeparatedUserGroup,
  existingDirectory,
  existingDirpath,
  inetAddress,
  integer,
  listOfExitcodes,
  listOfStrings,
  logfileName,
  loggingLevel,
  nameToGid,
  nameToUid,
  octalType,
  processOrGroupName,
  signalNumber,
  url,
} from '../../../src/config/datatypes.js';
import { parseGroup, parsePasswd } from '../../../src/config/users.js';

const db = {
  users: parsePasswd('root:x:0:0:root:/root:/bin/bash\nwww-data:x:33:33:www-data:/var/www:/usr/sbin/nologin\n'),
  groups: parseGroup('root:x:0:\nwww-data:x:33:\nstaff:x:50:\n'),
};
const dir = mkdtempSync(path.join(tmpdir(), 'tsinit-dt-'));
writeFileSync(path.join(dir, 'afile'), 'x');
const ctx: TypeContext = { home: dir, db, cwd: dir };

describe('process_or_group_name', () => {
  it('strips surrounding whitespace', () => expect(processOrGroupName(' foo\t')).toBe('foo'));
  it('disallows inner spaces, colons and slashes', () => {
    expect(() => processOrGroupName('foo bar')).toThrow("Invalid name: 'foo bar' because of character: ' '");
    expect(() => processOrGroupName('foo:bar')).toThrow("Invalid name: 'foo:bar' because of character: ':'");
    expect(() => processOrGroupName('foo/bar')).toThrow("Invalid name: 'foo/bar' because of character: '/'");
  });
});

describe('integer (Python int())', () => {
  it('converts numerics with spaces, signs and underscores', () => {
    expect(integer('1')).toBe(1);
    expect(integer(' -7 ')).toBe(-7);
    expect(integer('+5')).toBe(5);
    expect(integer('1_0')).toBe(10);
    expect(integer('010')).toBe(10);
    expect(integer('9223372036854775808')).toBeGreaterThan(2 ** 62);
  });
  it('raises for non-numerics with the Python text', () => {
    expect(() => integer('abc')).toThrow("invalid literal for int() with base 10: 'abc'");
    for (const bad of ['', '1.5', '0x10', '1__0', '_1', '1_', '- 1']) expect(() => integer(bad)).toThrow('invalid literal');
  });
});

describe('boolean', () => {
  it('accepts truthy and falsy words in any case', () => {
    for (const v of ['true', 'yes', 'on', '1', 'TRUE', 'Yes', 'ON']) expect(boolean(v)).toBe(true);
    for (const v of ['false', 'no', 'off', '0', 'FALSE', 'No', 'OFF']) expect(boolean(v)).toBe(false);
  });
  it('rejects anything else', () => {
    expect(() => boolean('maybe')).toThrow("not a valid boolean value: 'maybe'");
    for (const v of ['y', 't', '2', '']) expect(() => boolean(v)).toThrow('not a valid boolean value');
  });
});

describe('list_of_strings / list_of_exitcodes', () => {
  it('splits on commas and strips', () => {
    expect(listOfStrings('')).toEqual([]);
    expect(listOfStrings('foo,bar')).toEqual(['foo', 'bar']);
    expect(listOfStrings(' foo , bar ')).toEqual(['foo', 'bar']);
  });
  it('exit codes', () => {
    expect(listOfExitcodes('1,2,3')).toEqual([1, 2, 3]);
    expect(listOfExitcodes('1')).toEqual([1]);
    expect(listOfExitcodes(' 0 , 2 ')).toEqual([0, 2]);
    expect(listOfExitcodes('')).toEqual([]);
    expect(() => listOfExitcodes('0,256')).toThrow("not a valid list of exit codes: '0,256'");
    for (const bad of ['-1', '1,', '0,a', 'a']) expect(() => listOfExitcodes(bad)).toThrow('not a valid list of exit codes');
  });
});

describe('byte_size', () => {
  it('accepts plain ints and KB/MB/GB in any case', () => {
    expect(byteSize('1024')).toBe(1024);
    expect(byteSize('1KB')).toBe(1024);
    expect(byteSize('1mb')).toBe(1024 * 1024);
    expect(byteSize('2Gb')).toBe(2 * 1024 ** 3);
    expect(byteSize('1 MB')).toBe(1024 * 1024);
    expect(byteSize('0')).toBe(0);
  });
  it('reports the lower-cased remainder like int() does', () => {
    expect(() => byteSize('1TB')).toThrow("invalid literal for int() with base 10: '1tb'");
    expect(() => byteSize('10XB')).toThrow("invalid literal for int() with base 10: '10xb'");
    expect(() => byteSize('1.5MB')).toThrow("invalid literal for int() with base 10: '1.5'");
    expect(() => byteSize('1K')).toThrow("'1k'");
  });
});

describe('octal_type', () => {
  it('converts base-8 strings', () => {
    expect(octalType('10')).toBe(8);
    expect(octalType('022')).toBe(0o22);
    expect(octalType('0o22')).toBe(0o22);
    expect(octalType('777')).toBe(0o777);
  });
  it('raises for non-octal', () => {
    expect(() => octalType('hello')).toThrow('hello can not be converted to an octal type');
    expect(() => octalType('089')).toThrow('089 can not be converted to an octal type');
    expect(() => octalType('8')).toThrow('can not be converted');
  });
});

describe('signal_number', () => {
  it('converts numbers, names and SIG-prefixed names', () => {
    expect(signalNumber('9')).toBe(9);
    expect(signalNumber('KILL')).toBe(9);
    expect(signalNumber('SIGKILL')).toBe(9);
    expect(signalNumber(' term ')).toBe(15);
    expect(signalNumber('cld')).toBe(17);
    expect(signalNumber('IOT')).toBe(6);
    expect(signalNumber('RTMIN')).toBe(34);
    expect(signalNumber('64')).toBe(64);
  });
  it('raises for bad numbers and names', () => {
    expect(() => signalNumber('65')).toThrow("value '65' is not a valid signal number");
    expect(() => signalNumber('40')).toThrow("value '40' is not a valid signal number");
    expect(() => signalNumber('BADSIG')).toThrow("value 'BADSIG' is not a valid signal name");
    expect(() => signalNumber('FOO')).toThrow("value 'FOO' is not a valid signal name");
  });
});

describe('auto_restart', () => {
  it('converts', () => {
    for (const v of ['true', 'YES', 'on', '1']) expect(autoRestart(v)).toBe('true');
    for (const v of ['false', 'NO', 'off', '0']) expect(autoRestart(v)).toBe('false');
    expect(autoRestart('Unexpected')).toBe('unexpected');
  });
  it('raises with the lower-cased value', () => {
    expect(() => autoRestart('Sometimes')).toThrow("invalid 'autorestart' value 'sometimes'");
  });
});

describe('logfile_name', () => {
  it('NONE/OFF, AUTO and syslog in any case', () => {
    for (const v of ['none', 'NONE', 'Off']) expect(logfileName(v, ctx)).toEqual({ kind: 'none' });
    for (const v of ['auto', 'AUTO']) expect(logfileName(v, ctx)).toEqual({ kind: 'auto' });
    for (const v of ['syslog', 'SYSLOG']) expect(logfileName(v, ctx)).toEqual({ kind: 'syslog' });
  });
  it('other values are existing dirpaths', () => {
    expect(logfileName(path.join(dir, 'x.log'), ctx)).toEqual({ kind: 'file', path: path.join(dir, 'x.log') });
    expect(logfileName('relative.log', ctx)).toEqual({ kind: 'file', path: 'relative.log' });
    expect(() => logfileName('/nonexistent/dir/x.log', ctx)).toThrow(
      'The directory named as part of the path /nonexistent/dir/x.log does not exist',
    );
  });
});

describe('existing_directory / existing_dirpath', () => {
  it('directory must exist and be a directory; ~ expands', () => {
    expect(existingDirectory(dir, ctx)).toBe(dir);
    expect(existingDirectory('~', ctx)).toBe(dir);
    expect(() => existingDirectory('/does/not/exist', ctx)).toThrow('/does/not/exist is not an existing directory');
    expect(() => existingDirectory(path.join(dir, 'afile'), ctx)).toThrow('is not an existing directory');
  });
  it('dirpath: parent must exist; relative names without a dir pass', () => {
    expect(existingDirpath(path.join(dir, 'x'), ctx)).toBe(path.join(dir, 'x'));
    expect(existingDirpath('foo', ctx)).toBe('foo');
    expect(existingDirpath('~/x.log', ctx)).toBe(path.join(dir, 'x.log'));
    expect(() => existingDirpath(path.join(dir, 'afile', 'x'), ctx)).toThrow('does not exist');
  });
});

describe('logging_level', () => {
  it('case-insensitive names; warning is not accepted', () => {
    expect(loggingLevel('WARN')).toBe('warn');
    expect(loggingLevel('blather')).toBe('blather');
    expect(() => loggingLevel('warning')).toThrow("bad logging level name 'warning'");
    expect(() => loggingLevel('chatty')).toThrow("bad logging level name 'chatty'");
  });
});

describe('url', () => {
  it('accepts scheme with netloc or path', () => {
    expect(url('http://localhost:9001')).toBe('http://localhost:9001');
    expect(url('unix:///tmp/supervisor.sock')).toBe('unix:///tmp/supervisor.sock');
  });
  it('rejects', () => {
    expect(() => url('http://')).toThrow("value 'http://' is not a URL");
    expect(() => url('unix:')).toThrow('is not a URL');
    expect(() => url('unix://')).toThrow('is not a URL');
    expect(() => url('x')).toThrow("value 'x' is not a URL");
  });
});

describe('inet_address', () => {
  it('parses the forms supervisord accepts', () => {
    expect(inetAddress('*:9001')).toEqual(['', 9001]);
    expect(inetAddress(':9001')).toEqual(['', 9001]);
    expect(inetAddress('9001')).toEqual(['', 9001]);
    expect(inetAddress('LocalHost:9001')).toEqual(['localhost', 9001]);
    expect(inetAddress('127.0.0.1:9001')).toEqual(['127.0.0.1', 9001]);
    expect(inetAddress('2001:db8:ff:55:0:0:0:138:9001')).toEqual(['2001:db8:ff:55:0:0:0:138', 9001]);
  });
  it('errors', () => {
    expect(() => inetAddress('a:')).toThrow("no port number specified in ''");
    expect(() => inetAddress('a')).toThrow("not a valid port number: 'a' ");
    expect(() => inetAddress('99999')).toThrow("not a valid port number: '99999' ");
    expect(() => inetAddress('h:99999')).toThrow('99999 is above upper bound (65535)');
    expect(() => inetAddress('h:0')).toThrow('0 is below lower bound (1)');
  });
});

describe('users and groups', () => {
  it('name_to_uid / name_to_gid', () => {
    expect(nameToUid('www-data', db)).toBe(33);
    expect(nameToUid('0', db)).toBe(0);
    expect(() => nameToUid('nosuchuser', db)).toThrow('Invalid user name nosuchuser');
    expect(() => nameToUid('12345', db)).toThrow('Invalid user id 12345');
    expect(nameToGid('staff', db)).toBe(50);
    expect(nameToGid('33', db)).toBe(33);
    expect(() => nameToGid('nosuchgroup', db)).toThrow('Invalid group name nosuchgroup');
    expect(() => nameToGid('999', db)).toThrow('Invalid group id 999');
  });
  it('colon_separated_user_group', () => {
    expect(colonSeparatedUserGroup('root', db)).toEqual([0, -1]);
    expect(colonSeparatedUserGroup('www-data:staff', db)).toEqual([33, 50]);
    expect(colonSeparatedUserGroup('0:33', db)).toEqual([0, 33]);
    expect(() => colonSeparatedUserGroup('nobody1', db)).toThrow('Invalid user:group definition nobody1');
    expect(() => colonSeparatedUserGroup('root:nogroup1', db)).toThrow('Invalid user:group definition root:nogroup1');
  });
});

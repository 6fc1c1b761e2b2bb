// supervisord's XML-RPC fault codes (spec §7.2) and the error type RPC methods throw to produce a fault.

export const Faults = {
  UNKNOWN_METHOD: 1,
  INCORRECT_PARAMETERS: 2,
  BAD_ARGUMENTS: 3,
  SIGNATURE_UNSUPPORTED: 4,
  SHUTDOWN_STATE: 6,
  BAD_NAME: 10,
  BAD_SIGNAL: 11,
  NO_FILE: 20,
  NOT_EXECUTABLE: 21,
  FAILED: 30,
  ABNORMAL_TERMINATION: 40,
  SPAWN_ERROR: 50,
  ALREADY_STARTED: 60,
  NOT_RUNNING: 70,
  SUCCESS: 80,
  ALREADY_ADDED: 90,
  STILL_RUNNING: 91,
  CANT_REREAD: 92,
} as const;

export type FaultName = keyof typeof Faults;

/** The fault name for a code, `UNKNOWN` when it is none of supervisord's. */
export function faultName(code: number): string {
  for (const [name, value] of Object.entries(Faults)) {
    if (value === code) return name;
  }
  return 'UNKNOWN';
}

/** A fault answer: faultString is `<NAME>` or `<NAME>: <detail>`, as supervisord's RPCError. */
export class RpcFault extends Error {
  override readonly name = 'RpcFault';
  readonly code: number;
  readonly text: string;

  constructor(fault: FaultName | number, detail?: string | number | null) {
    const code = typeof fault === 'number' ? fault : Faults[fault];
    const base = faultName(code);
    const text = detail === undefined ? base : `${base}: ${detail === null ? 'None' : String(detail)}`;
    super(text);
    this.code = code;
    this.text = text;
  }
}

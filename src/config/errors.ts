// Config errors that remember where they come from (file, line, option), so the final message can
// name them after supervisord's own text.
import { ConfigError } from './model.js';

export interface ErrorLocation {
  readonly file: string;
  readonly line: number;
  readonly option: string;
}

export class LocatedConfigError extends ConfigError {
  constructor(
    message: string,
    readonly location: ErrorLocation | null,
  ) {
    super(message);
  }
}

/** Run `fn`; a ConfigError it throws gets `location` attached (unless it already has one). */
export function at<T>(location: ErrorLocation | null, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof LocatedConfigError) throw err;
    if (err instanceof ConfigError) throw new LocatedConfigError(err.message, location);
    throw err;
  }
}

/** Rewrite a ConfigError's message (e.g. add supervisord's " in section ..." suffix), keeping its location. */
export function withMessage<T>(fn: () => T, rewrite: (message: string) => string): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof ConfigError) {
      const loc = err instanceof LocatedConfigError ? err.location : null;
      throw new LocatedConfigError(rewrite(err.message), loc);
    }
    throw err;
  }
}

/** The final, user-facing message: supervisord's text, then where tsinit found it. */
export function finalMessage(err: ConfigError): string {
  if (err instanceof LocatedConfigError && err.location) {
    const { file, line, option } = err.location;
    return `${err.message} (at ${file} line ${line}, option '${option}')`;
  }
  return err.message;
}

/**
 * A conversion made once per request (`prepare`) may change what the client sent (a parameter left out,
 * thinking off for a tool loop); the client hears each change in `x-junction-warning`, which is collected
 * per attempt. So the conversion's warnings are kept with its result and told to every attempt that sends it.
 */

/** A converted body with what its conversion told the client, if anything. */
export interface Warned<T> {
  body: T;
  warnings: string[] | undefined;
}

/** Runs a conversion that reports changes through `warn`, keeping them with its result. */
export function collectWarnings<T>(convert: (warn: (message: string) => void) => T): Warned<T> {
  let warnings: string[] | undefined;
  const body = convert((message) => {
    warnings ??= [];
    warnings.push(message);
  });
  return { body, warnings };
}

/** Tells one attempt what the conversion changed. */
export function tellWarnings(
  warnings: string[] | undefined,
  warn: ((message: string) => void) | undefined,
): void {
  if (warnings && warn) for (const message of warnings) warn(message);
}

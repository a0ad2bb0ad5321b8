// Long synchronous work on the main process (a scan of a whole event) is cut into slices with a
// turn of the event loop between them, so a check-in, an IPC call or a venue message waiting
// behind it is held up by one slice, not by the whole scan.

/** Resolves on the event loop's next check phase, after the I/O and timers already due. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise<void>((resolve) => setImmediate(resolve));
}

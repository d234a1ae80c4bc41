/**
 * The error's code as a string (`ECONNREFUSED`…). A fetch that was aborted or timed out
 * rejects with a DOMException whose `code` is a legacy number (20, 23): its name
 * (`AbortError`, `TimeoutError`) is what says what happened.
 */
export function errorCode(error: Error): string | undefined {
  const cause = (error as { cause?: { code?: unknown } }).cause;
  const code = (error as { code?: unknown }).code ?? cause?.code;
  if (typeof code === 'string') return code;
  return error?.name === 'AbortError' || error?.name === 'TimeoutError' ? error.name : undefined;
}

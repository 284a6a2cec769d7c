/**
 * A fetch whose every call gives up after `timeoutMs` (connect, headers and body together),
 * keeping any signal the caller passed. Octokit has no timeout of its own.
 */
export function timeoutFetch(timeoutMs: number, base: typeof fetch = fetch): typeof fetch {
  return (input, init = {}) => {
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    return base(input, { ...init, signal });
  };
}

/**
 * Turns a function of many inputs into a function of one: the calls made while the event loop
 * handles one round of I/O are run together, in one call of `run`, when that round ends
 * (setImmediate). Under load, many requests reach the same Redis step in one round; one script
 * call carrying all of them costs Redis and the client a fraction of one call each (command
 * encoding, reply parsing, a promise and a socket write per call). At rest a call waits for
 * nothing but the end of its own round.
 *
 * `run` answers in the order of its inputs; when it fails, every call of that run fails with
 * its error. At most `max` inputs go into one run (a Lua script blocks Redis while it runs).
 */
export function coalesceCalls<In, Out>(
  run: (inputs: In[]) => Promise<Out[]>,
  options: { max: number },
): (input: In) => Promise<Out> {
  let pending: { input: In; resolve: (out: Out) => void; reject: (error: unknown) => void }[] = [];
  let scheduled = false;

  const flush = () => {
    scheduled = false;
    const calls = pending;
    pending = [];
    if (calls.length === 0) return;
    run(calls.map((c) => c.input)).then(
      (outs) => {
        if (outs.length !== calls.length) {
          const error = new Error(`a coalesced run answered ${outs.length} of ${calls.length} inputs`);
          for (const c of calls) c.reject(error);
          return;
        }
        for (let i = 0; i < calls.length; i += 1) calls[i]!.resolve(outs[i]!);
      },
      (error: unknown) => {
        for (const c of calls) c.reject(error);
      },
    );
  };

  return (input) =>
    new Promise<Out>((resolve, reject) => {
      pending.push({ input, resolve, reject });
      if (pending.length >= options.max) flush();
      else if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    });
}

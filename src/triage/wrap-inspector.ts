// One way to wrap a ClusterInspector (or any port object): a wrapper says what it does around a call, not every method.

/** What a wrapper does around one call: `call` runs the inner method with the same arguments. */
export type Around = (
  method: string,
  args: readonly unknown[],
  call: () => Promise<unknown>,
) => Promise<unknown>;

/**
 * Every method of `inner` runs through `around`; other properties are read through. A Proxy, so a method added
 * to the port later is wrapped too without touching the wrappers (the cache, the budget, the prefetched reads).
 */
export function wrapInspector<T extends object>(inner: T, around: Around): T {
  return new Proxy(inner, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function' || typeof property !== 'string' || property === 'constructor')
        return value;
      const method = value as (...args: unknown[]) => Promise<unknown>;
      return (...args: unknown[]) => around(property, args, () => method.apply(target, args));
    },
  });
}

// Wrapping page-visible functions without the page being able to tell:
// Proxies keep name, length, prototype and `new.target`; Function.prototype.toString
// answers for a wrapper what it would answer for the original.

import { natives } from './natives';

const originalOf = new natives.WeakMap<object, object>();

/** Replaces `target[name]` with a Proxy of it built from `handler`; keeps the property's descriptor. */
export function wrapProperty<T extends object>(
  target: T,
  name: PropertyKey,
  handler: ProxyHandler<(...args: unknown[]) => unknown>,
): boolean {
  const descriptor = natives.getOwnPropertyDescriptor(target, name);
  if (!descriptor || typeof descriptor.value !== 'function') return false;
  const wrapper = cloak(descriptor.value as (...args: unknown[]) => unknown, handler);
  return natives.defineProperty(target, name, { ...descriptor, value: wrapper });
}

/** A Proxy of `original` that Function.prototype.toString reports as `original`. */
export function cloak<F extends object>(original: F, handler: ProxyHandler<F>): F {
  const proxy = new natives.Proxy(original, handler);
  originalOf.set(proxy, original);
  return proxy;
}

/** Makes Function.prototype.toString see through our wrappers (itself included). */
export function installToStringCloak(): void {
  wrapProperty(Function.prototype, 'toString', {
    apply(target, thisArg, args) {
      const original = (thisArg !== null && (typeof thisArg === 'object' || typeof thisArg === 'function'))
        ? originalOf.get(thisArg as object)
        : undefined;
      return natives.apply(target, original ?? thisArg, args);
    },
  });
}

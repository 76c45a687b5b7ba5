// Wrapping page-visible functions without the page being able to tell:
// Proxies keep name, length, prototype and `new.target`; Function.prototype.toString
// answers for a wrapper what it would answer for the original.

import { natives, WeakTable, isObject, matches, callOriginal } from './natives';

type AnyFn = (...args: unknown[]) => unknown;

const originalOf = new WeakTable<object, object>();

/** Replaces the method `target[name]` with a Proxy of it built from `handler`; keeps the property's descriptor. */
export function wrapProperty<T extends object>(target: T, name: PropertyKey, handler: ProxyHandler<AnyFn>): boolean {
  const descriptor = natives.getOwnPropertyDescriptor(target, name);
  if (!descriptor || typeof descriptor.value !== 'function') return false;
  const wrapper = cloak(descriptor.value as AnyFn, handler);
  return natives.defineProperty(target, name, { ...descriptor, value: wrapper });
}

/** Replaces the setter of the accessor `target[name]` with a Proxy of it; the getter stays the original. */
export function wrapSetter<T extends object>(target: T, name: PropertyKey, handler: ProxyHandler<AnyFn>): boolean {
  const descriptor = natives.getOwnPropertyDescriptor(target, name);
  if (!descriptor || typeof descriptor.set !== 'function') return false;
  const wrapper = cloak(descriptor.set as AnyFn, handler);
  return natives.defineProperty(target, name, { ...descriptor, set: wrapper });
}

/** A Proxy of `original` that Function.prototype.toString reports as `original`. */
export function cloak<F extends object>(original: F, handler: ProxyHandler<F>): F {
  const proxy = new natives.Proxy(original, handler);
  originalOf.set(proxy, original);
  return proxy;
}

/** What toString says of any Proxy of a function: the page would see it for a wrapper of another frame. */
const PROXY_TEXT = 'function () { [native code] }';
const NATIVE_TEXT = /^function [^(){}]*\(\) \{ \[native code\] \}$/;

/**
 * Makes Function.prototype.toString see through our wrappers (itself included).
 *
 * A wrapper made by the hook of another frame (same origin, e.g. a fresh
 * about:blank iframe's `RTCPeerConnection`) is unknown here; natively this
 * toString would still print its native source. For a Proxy whose prototype
 * chain leads to another realm's Function.prototype, the answer is that
 * realm's Function.prototype.toString's (the other hook's cloak), kept only
 * when it has the native form. (A page's own Proxy of a function sees the
 * getPrototypeOf traps of this lookup; nothing else can tell.)
 */
export function installToStringCloak(): void {
  const ours: { toString?: unknown } = {};
  /** The Function.prototype of `fn`'s realm: the first callable on its prototype chain whose prototype is not callable. */
  const realmFunctionPrototype = (fn: object): object | null => {
    let proto = natives.getPrototypeOf(fn);
    for (let depth = 0; proto && depth < 50; depth++) {
      const next: object | null = natives.getPrototypeOf(proto);
      if (typeof proto === 'function' && typeof next !== 'function') return proto;
      proto = next;
    }
    return null;
  };
  const foreignText = (fn: object): string | undefined => {
    const proto = realmFunctionPrototype(fn);
    if (!proto || proto === natives.FunctionPrototype) return undefined;
    const d = natives.getOwnPropertyDescriptor(proto, 'toString');
    const other = d && natives.hasOwn(d, 'value') ? d.value : undefined;
    if (typeof other !== 'function' || other === ours.toString) return undefined;
    try {
      const text = natives.apply(other as AnyFn, fn, []);
      return typeof text === 'string' && text !== PROXY_TEXT && matches(NATIVE_TEXT, text) ? text : undefined;
    } catch {
      return undefined;
    }
  };
  wrapProperty(Function.prototype, 'toString', {
    apply(target, thisArg, args) {
      const original = isObject(thisArg) ? originalOf.get(thisArg) : undefined;
      if (original) return callOriginal(target, original, args);
      const text = callOriginal(target, thisArg, args);
      if (text === PROXY_TEXT && typeof thisArg === 'function') {
        let foreign: string | undefined;
        try {
          foreign = foreignText(thisArg);
        } catch {
          foreign = undefined;
        }
        if (foreign !== undefined) return foreign;
      }
      return text;
    },
  });
  ours.toString = natives.getOwnPropertyDescriptor(Function.prototype, 'toString')?.value;
}

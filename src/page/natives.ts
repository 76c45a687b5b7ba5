// Built-ins captured when the hook starts, before any page script runs, so a
// page that later patches them can neither break the hook nor see its calls.
//
// Code that runs while the page calls a wrapped API uses only these (and
// language syntax that invokes nothing patchable: literals, indexed loops,
// template strings of primitives). It never calls `[...spread]`, `for...of`,
// Array.prototype methods, JSON, getters or toString/toJSON of page objects:
// a page with its own getter, Proxy or patched built-in would see the call.
// (The one use of JSON, the captured stringify, is on the hook's own entries
// when the page is hidden: see channel.ts.)

const wm = WeakMap.prototype;
const wr = WeakRef.prototype;
const NativeError = Error;

export const natives = {
  apply: Reflect.apply,
  construct: Reflect.construct,
  getOwnPropertyDescriptor: Reflect.getOwnPropertyDescriptor,
  defineProperty: Reflect.defineProperty,
  getPrototypeOf: Reflect.getPrototypeOf,
  ownKeys: Reflect.ownKeys,
  keys: Object.keys,
  create: Object.create,
  hasOwn: Object.hasOwn,
  isArray: Array.isArray,
  isFinite: Number.isFinite,
  regexpExec: RegExp.prototype.exec,
  then: Promise.prototype.then,
  now: Date.now,
  stringify: JSON.stringify,
  setTimeout: globalThis.setTimeout.bind(globalThis),
  addEventListener: EventTarget.prototype.addEventListener,
  dispatchEvent: EventTarget.prototype.dispatchEvent,
  portPostMessage: MessagePort.prototype.postMessage,
  portStart: MessagePort.prototype.start,
  MessageChannel: globalThis.MessageChannel,
  MessageEvent: globalThis.MessageEvent,
  WeakMap: globalThis.WeakMap,
  WeakRef: globalThis.WeakRef,
  Proxy: globalThis.Proxy,
  ObjectPrototype: Object.prototype,
  FunctionPrototype: Function.prototype,
  ArrayPrototype: Array.prototype,
  weakMapGet: wm.get,
  weakMapSet: wm.set,
  weakMapHas: wm.has,
  weakRefDeref: wr.deref,
  stringIndexOf: String.prototype.indexOf,
  stringSlice: String.prototype.slice,
};

type AnyFn = (...args: unknown[]) => unknown;

/** Calls `fn` with `self` as this, through the captured Reflect.apply. */
export function call<R>(fn: (...args: never[]) => R, self: unknown, ...args: unknown[]): R {
  return natives.apply(fn as (...a: unknown[]) => R, self, args);
}

/** A WeakMap whose operations the page cannot observe or break by patching WeakMap.prototype. */
export class WeakTable<K extends object, V> {
  readonly #map = new natives.WeakMap<K, V>();
  get(key: K): V | undefined {
    return call(natives.weakMapGet as AnyFn, this.#map, key) as V | undefined;
  }
  set(key: K, value: V): void {
    call(natives.weakMapSet as AnyFn, this.#map, key, value);
  }
  has(key: K): boolean {
    return call(natives.weakMapHas as AnyFn, this.#map, key) as boolean;
  }
}

/** A weak reference read without WeakRef.prototype.deref of the page. */
export function weakRef<T extends object>(target: T): () => T | undefined {
  const ref = new natives.WeakRef(target);
  return () => call(natives.weakRefDeref as AnyFn, ref) as T | undefined;
}

/** What chain() returns for a value that is not a promise. */
export const NOT_A_PROMISE: unique symbol = Symbol('not a promise');

/**
 * `result.then(onFulfilled, onRejected)` through the captured then, when
 * `result` is a promise of any realm (a method of this realm called on
 * another realm's object returns that realm's promise); NOT_A_PROMISE otherwise.
 */
export function chain(result: unknown, onFulfilled: (v: unknown) => unknown, onRejected: (e: unknown) => unknown): unknown {
  if (!isObject(result)) return NOT_A_PROMISE;
  try {
    return natives.apply(natives.then as (...a: unknown[]) => unknown, result, [onFulfilled, onRejected]);
  } catch {
    return NOT_A_PROMISE; // then's brand check: not a promise
  }
}

export const isObject = (x: unknown): x is object => (typeof x === 'object' && x !== null) || typeof x === 'function';

/**
 * The native getter of `proto[name]`, as a function of the object; reading
 * through it runs no page code. Throws (like the getter) for an object of the
 * wrong kind; returns undefined when the browser has no such property.
 */
export function getterOf(proto: object | undefined, name: string): (obj: unknown) => unknown {
  const d = proto ? natives.getOwnPropertyDescriptor(proto, name) : undefined;
  const get = d?.get as AnyFn | undefined;
  return get ? (obj) => natives.apply(get, obj, []) : () => undefined;
}

/** The prototype of a global interface of `win`, if the browser has it. */
export function protoOf(win: typeof globalThis, name: string): object | undefined {
  const ctor = (win as unknown as Record<string, { prototype?: unknown } | undefined>)[name];
  const proto = typeof ctor === 'function' ? ctor.prototype : undefined;
  return isObject(proto) ? proto : undefined;
}

/** Adds an own data property without [[Set]] (so no setter of any prototype runs). */
export function defineData(target: object, key: PropertyKey, value: unknown): void {
  natives.defineProperty(target, key, { __proto__: null, value, writable: true, enumerable: true, configurable: true } as PropertyDescriptor);
}

/** A data property found on `obj` or its prototypes (getters are not called). */
export function dataProperty(obj: object, key: string): unknown {
  let o: object | null = obj;
  for (let depth = 0; o && depth < 20; depth++) {
    const d = natives.getOwnPropertyDescriptor(o, key);
    if (d) return natives.hasOwn(d, 'value') ? d.value : undefined;
    o = natives.getPrototypeOf(o);
  }
  return undefined;
}

/** Whether `re` matches `text`, without RegExp.prototype.test of the page. */
export function matches(re: RegExp, text: string): boolean {
  re.lastIndex = 0;
  return call(natives.regexpExec as AnyFn, re, text) !== null;
}

/**
 * Custom descriptions for objects of a browser interface (session
 * descriptions, candidates, tracks, ...): return undefined when `value` is not
 * of that kind. Registered by the modules that know the interfaces.
 */
export type Describer = (value: object) => unknown;
const describers: Describer[] = [];
export function addDescriber(d: Describer): void {
  describers[describers.length] = d;
}

const MAX_DEPTH = 12;
const MAX_NODES = 5000;

/**
 * A value as plain JSON data (what crosses the channel and is stored), read
 * without running any page code: only own enumerable data properties are
 * copied (getters, toJSON and toString of the page are not called), objects
 * of browser interfaces through their native getters. Cycles become
 * `"[cycle]"`, depth beyond 12 or more than 5000 objects and properties `"[truncated]"`, an object
 * that cannot be read (a revoked Proxy) `"[unreadable]"`.
 */
export function snapshot(value: unknown): unknown {
  const budget = { nodes: MAX_NODES };
  const ancestors: object[] = [];
  const snap = (v: unknown, depth: number): unknown => {
    switch (typeof v) {
      case 'string':
      case 'boolean':
        return v;
      case 'number':
        return natives.isFinite(v) ? v : null;
      case 'bigint':
        return `${v}`;
      case 'undefined':
      case 'symbol':
      case 'function':
        return undefined;
    }
    if (v === null) return null;
    const obj = v as object;
    if (depth > MAX_DEPTH || budget.nodes-- <= 0) return '[truncated]';
    for (let i = 0; i < ancestors.length; i++) if (ancestors[i] === obj) return '[cycle]';
    const mark = ancestors.length;
    try {
      return snapObject(obj, depth);
    } catch {
      return '[unreadable]'; // e.g. a revoked Proxy
    } finally {
      ancestors.length = mark;
    }
  };
  const snapObject = (obj: object, depth: number): unknown => {
    const proto = natives.getPrototypeOf(obj);
    if (proto !== natives.ObjectPrototype && proto !== natives.ArrayPrototype && proto !== null) {
      for (let i = 0; i < describers.length; i++) {
        let described: unknown;
        try {
          described = describers[i]!(obj);
        } catch {
          described = undefined;
        }
        // the describer's own plain data (or a native's, e.g. toJSON of a description)
        if (described !== undefined) return snap(described, depth + 1);
      }
    }
    ancestors[ancestors.length] = obj;
    if (natives.isArray(obj)) {
      const length = dataProperty(obj, 'length');
      const list: unknown[] = [];
      const n = typeof length === 'number' ? length : 0;
      for (let i = 0; i < n && budget.nodes-- > 0; i++) {
        const d = natives.getOwnPropertyDescriptor(obj, `${i}`);
        const item = d && natives.hasOwn(d, 'value') ? snap(d.value, depth + 1) : undefined;
        defineData(list, i, item === undefined ? null : item);
      }
      return list;
    }
    const copy = {};
    const keys = natives.ownKeys(obj);
    for (let i = 0; i < keys.length && budget.nodes-- > 0; i++) {
      const key = keys[i]!;
      if (typeof key !== 'string') continue;
      const d = natives.getOwnPropertyDescriptor(obj, key);
      if (!d || !d.enumerable || !natives.hasOwn(d, 'value')) continue;
      const item = snap(d.value, depth + 1);
      if (item !== undefined) defineData(copy, key, item);
    }
    return copy;
  };
  const result = snap(value, 0);
  return result === undefined ? null : result;
}

const domExceptionName = getterOf(globalThis.DOMException?.prototype, 'name');
const domExceptionMessage = getterOf(globalThis.DOMException?.prototype, 'message');
const overconstrainedConstraint = getterOf(
  (globalThis as { OverconstrainedError?: { prototype: object } }).OverconstrainedError?.prototype,
  'constraint',
);

/**
 * `Name: message` of an error, as rtcstats logs failures; an
 * OverconstrainedError adds the constraint: `OverconstrainedError: message (constraint: width)`.
 * Read through native getters and data properties only.
 */
export function describeError(err: unknown): string {
  try {
    if (typeof err === 'string') return err;
    if (!isObject(err)) return `${String(err)}`;
    let name: unknown;
    let message: unknown;
    try {
      name = domExceptionName(err);
      message = domExceptionMessage(err);
    } catch {
      name = dataProperty(err, 'name');
      message = dataProperty(err, 'message');
    }
    let text = `${typeof name === 'string' ? name : 'Error'}: ${typeof message === 'string' ? message : ''}`;
    try {
      const constraint = overconstrainedConstraint(err);
      if (typeof constraint === 'string' && constraint !== '') text = `${text} (constraint: ${constraint})`;
    } catch {
      // not an OverconstrainedError
    }
    return text;
  } catch {
    return '[error]';
  }
}

/** The value `describe` gives, or "[unreadable]" if it throws: the call is recorded anyway. */
export function described(describe: () => unknown): unknown {
  try {
    return describe();
  } catch {
    return '[unreadable]';
  }
}

/** A primitive as text; objects (whose toString is the page's) are not converted. */
export function primitiveText(value: unknown): string | null {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'boolean':
    case 'bigint':
    case 'undefined':
      return `${value}`;
    default:
      return value === null ? 'null' : null;
  }
}

// ---------------------------------------------------------------- error stacks
//
// An error thrown by an original while a wrapper runs (or by page code the
// original calls) has the wrapper's frame in its stack,
// `at Object.apply (chrome-extension://<id>/page-hook.js:...)`: pages, and
// error reporters that drop errors "caused by extensions", would see it.
// Before such an error reaches the page, the hook's lines are taken out of
// its stack through V8's own stack accessor (which keeps the property's
// shape). Not done when the page formats stacks itself (Error.prepareStackTrace),
// which would then run early; page code that reads `new Error().stack` while
// a wrapper is on the stack still sees the frame.

const stackAccessor = (() => {
  try {
    return natives.getOwnPropertyDescriptor(new NativeError(), 'stack');
  } catch {
    return undefined;
  }
})();
const stackGet = stackAccessor?.get as AnyFn | undefined;
const stackSet = stackAccessor?.set as AnyFn | undefined;

/** The URL of the hook's own script, from its first stack frame (V8 format). */
const ownScript = ((): string | null => {
  try {
    const text = stackGet ? natives.apply(stackGet, new NativeError(), []) : undefined;
    if (typeof text !== 'string') return null;
    const frame = /\n\s+at (?:.*\()?([a-z][a-z0-9+.-]*:\/\/[^\s()]+?):\d+:\d+\)?/.exec(text);
    return frame ? frame[1]! : null;
  } catch {
    return null;
  }
})();

function withoutLinesContaining(text: string, needle: string): string {
  let out = '';
  let first = true;
  for (let start = 0; start <= text.length; ) {
    let end = call(natives.stringIndexOf as AnyFn, text, '\n', start) as number;
    if (end < 0) end = text.length;
    const line = call(natives.stringSlice as AnyFn, text, start, end) as string;
    if ((call(natives.stringIndexOf as AnyFn, line, needle) as number) < 0) {
      out = first ? line : `${out}\n${line}`;
      first = false;
    }
    start = end + 1;
  }
  return out;
}

/** Takes the hook's frames out of the stack of `err` (an error about to reach the page); never throws. */
export function scrubStack(err: unknown): void {
  try {
    if (!ownScript || !stackGet || !stackSet || !isObject(err)) return;
    const d = natives.getOwnPropertyDescriptor(err, 'stack');
    if (!d || d.get !== stackGet) return; // not an error with V8's stack, or one whose stack was replaced
    const prepare = natives.getOwnPropertyDescriptor(NativeError, 'prepareStackTrace');
    if (prepare && (prepare.get || prepare.set || prepare.value !== undefined)) return;
    const text = natives.apply(stackGet, err, []);
    if (typeof text !== 'string' || (call(natives.stringIndexOf as AnyFn, text, ownScript) as number) < 0) return;
    natives.apply(stackSet, err, [withoutLinesContaining(text, ownScript)]);
  } catch {
    // the stack stays as it is
  }
}

/** Calls an original (or a page callback) for a wrapper: what it throws reaches the page without the hook's frames. */
export function callOriginal(fn: unknown, self: unknown, args: unknown[]): unknown {
  try {
    return natives.apply(fn as AnyFn, self, args);
  } catch (e) {
    scrubStack(e);
    throw e;
  }
}

/**
 * Calls an original for a wrapper and follows how it ends: `fail` with what it
 * throws or what its promise rejects with, `ok` with what its promise fulfils
 * with. The page gets the original's own return value, or for a promise one
 * chained on it that settles the same way (chained even when nothing is
 * recorded: a rejection then reaches the page without the hook's frames).
 */
export function callAndFollow(target: unknown, self: unknown, args: unknown[], ok: (r: unknown) => void, fail: (e: unknown) => void): unknown {
  let result: unknown;
  try {
    result = natives.apply(target as AnyFn, self, args);
  } catch (e) {
    fail(e);
    scrubStack(e);
    throw e;
  }
  const chained = chain(result,
    (r: unknown) => {
      ok(r);
      return r;
    },
    (e: unknown) => {
      fail(e);
      scrubStack(e);
      throw e;
    });
  return chained === NOT_A_PROMISE ? result : chained;
}

/** `Reflect.construct` for a wrapper, like callOriginal. */
export function constructOriginal(target: unknown, args: unknown[], newTarget: unknown): object {
  try {
    return natives.construct(target as new (...a: unknown[]) => object, args, newTarget as new (...a: unknown[]) => object);
  } catch (e) {
    scrubStack(e);
    throw e;
  }
}

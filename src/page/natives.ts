// Built-ins captured when the hook starts, before any page script runs, so a
// page that later patches them can neither break the hook nor see its calls.

export const natives = {
  apply: Reflect.apply,
  construct: Reflect.construct,
  getOwnPropertyDescriptor: Reflect.getOwnPropertyDescriptor,
  defineProperty: Reflect.defineProperty,
  stringify: JSON.stringify,
  parse: JSON.parse,
  then: Promise.prototype.then,
  now: Date.now,
  setTimeout: globalThis.setTimeout.bind(globalThis),
  clearTimeout: globalThis.clearTimeout.bind(globalThis),
  addEventListener: EventTarget.prototype.addEventListener,
  dispatchEvent: EventTarget.prototype.dispatchEvent,
  portPostMessage: MessagePort.prototype.postMessage,
  portStart: MessagePort.prototype.start,
  MessageChannel: globalThis.MessageChannel,
  MessageEvent: globalThis.MessageEvent,
  WeakMap: globalThis.WeakMap,
  WeakRef: globalThis.WeakRef,
  Proxy: globalThis.Proxy,
};

/** Calls `fn` with `self` as this, through the captured Reflect.apply. */
export function call<R>(fn: (...args: never[]) => R, self: unknown, ...args: unknown[]): R {
  return natives.apply(fn as (...a: unknown[]) => R, self, args);
}

/** A value as plain JSON data (what crosses the channel and is stored). */
export function plain(value: unknown): unknown {
  if (value === undefined) return null;
  try {
    const text = natives.stringify(value);
    return text === undefined ? null : natives.parse(text);
  } catch {
    return '[unserializable]';
  }
}

/** `Name: message` of an error, as rtcstats logs failures. */
export function describeError(err: unknown): string {
  try {
    if (err && typeof err === 'object' && 'name' in err && 'message' in err) {
      return `${String((err as Error).name)}: ${String((err as Error).message)}`;
    }
    return String(err);
  } catch {
    return '[error]';
  }
}

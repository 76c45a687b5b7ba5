// Waiting for a condition (never for a fixed time).

export async function waitFor<T>(
  probe: () => Promise<T | null | undefined | false>,
  what: string,
  { timeoutMs = 15000, everyMs = 100 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== null && value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

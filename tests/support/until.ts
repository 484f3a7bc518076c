/** Polls `probe` until `accept` holds (for asynchronous effects: jobs, webhooks), or fails naming `what`. */
export async function until<T, S extends T>(
  probe: () => Promise<T>,
  accept: (value: T) => value is S,
  what: string,
  timeoutMs?: number,
): Promise<S>;
export async function until<T>(
  probe: () => Promise<T>,
  accept: (value: T) => boolean,
  what: string,
  timeoutMs?: number,
): Promise<T>;
export async function until<T>(
  probe: () => Promise<T>,
  accept: (value: T) => boolean,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}: last value ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

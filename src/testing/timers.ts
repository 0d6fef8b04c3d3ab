/** Every timer the fake starts, so `dispose()` can stop them all and a process exits by itself. */
export class Timers {
  private readonly pending = new Map<NodeJS.Timeout, () => void>();
  private disposed = false;

  after(ms: number, fn: () => void): NodeJS.Timeout | null {
    if (this.disposed) return null;
    const handle = setTimeout(
      () => {
        this.pending.delete(handle);
        fn();
      },
      Math.max(0, ms),
    );
    this.pending.set(handle, () => {});
    return handle;
  }

  clear(handle: NodeJS.Timeout | null | undefined): void {
    if (!handle) return;
    clearTimeout(handle);
    this.pending.get(handle)?.();
    this.pending.delete(handle);
  }

  /** Resolves after `ms`, or at once when disposed (so nothing waits on a stopped fake). */
  sleep(ms: number): Promise<void> {
    if (ms <= 0 || this.disposed) return Promise.resolve();
    return new Promise((resolve) => {
      const handle = setTimeout(() => {
        this.pending.delete(handle);
        resolve();
      }, ms);
      this.pending.set(handle, resolve);
    });
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  dispose(): void {
    this.disposed = true;
    for (const [handle, onCancel] of this.pending) {
      clearTimeout(handle);
      onCancel();
    }
    this.pending.clear();
  }
}

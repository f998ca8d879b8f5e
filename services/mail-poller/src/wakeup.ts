/** A resettable signal: IDLE's EXISTS, a stop request or a timer wakes the loop. */
export class Wakeup {
  private resolve: ((reason: string) => void) | null = null;
  private pending: string | null = null;

  fire(reason: string): void {
    if (this.resolve) {
      const r = this.resolve;
      this.resolve = null;
      r(reason);
    } else {
      this.pending ??= reason;
    }
  }

  wait(timeoutMs: number): Promise<string> {
    if (this.pending) {
      const p = this.pending;
      this.pending = null;
      return Promise.resolve(p);
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.resolve = null;
        resolve('timer');
      }, timeoutMs);
      this.resolve = (reason) => {
        clearTimeout(timer);
        resolve(reason);
      };
    });
  }
}

/**
 * The one way onto SQLite's single connection (Prisma's adapter and the data layer share it).
 * A transaction holds the gate from BEGIN to COMMIT, across its awaits; a plain statement takes
 * it for its own moment. First come, first served, handed straight from one holder to the next,
 * so nothing can slip a statement into somebody else's transaction in between.
 */
export class Gate {
  private held = false;
  private readonly waiters: ((release: () => void) => void)[] = [];

  /** Resolves with the function that lets the next one in; call it exactly once. */
  acquire(): Promise<() => void> {
    if (!this.held) {
      this.held = true;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Someone holds the gate (a transaction is open, or a statement is running). */
  get busy(): boolean {
    return this.held;
  }

  private releaser(): () => void {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const next = this.waiters.shift();
      if (next) next(this.releaser());
      else this.held = false;
    };
  }
}

/** Webhook latency as the platforms see it: measured by the simulator on its own requests. */
export class LatencyLog {
  private readonly ms: number[] = [];
  private unansweredCount = 0;
  /** answers other than 2xx: status and body (the first 200 kept) */
  readonly refusals: { status: number; body: string; at: number }[] = [];
  refused = 0;

  /** `parent` also receives every sample (one log per platform, and one for both). */
  constructor(private readonly parent?: LatencyLog) {}

  /** An answered request: how long it took, and the answer. */
  add(ms: number, status = 200, body = ''): void {
    this.parent?.add(ms, status, body);
    this.ms.push(ms);
    if (status >= 300) {
      this.refused++;
      if (this.refusals.length < 200) this.refusals.push({ status, body: body.slice(0, 300), at: Date.now() });
    }
  }

  /** A request that got no HTTP answer at all (connection refused or reset: the service was down). */
  noAnswer(): void {
    this.parent?.noAnswer();
    this.unansweredCount++;
  }

  get unanswered(): number {
    return this.unansweredCount;
  }

  get count(): number {
    return this.ms.length;
  }

  /** The p-th percentile (nearest rank), in ms; 0 with no samples. */
  percentile(p: number): number {
    if (!this.ms.length) return 0;
    const sorted = [...this.ms].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
  }
}

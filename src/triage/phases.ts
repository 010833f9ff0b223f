// Times the phases of one triage (lookup, gather, playbook, diagnose, store, notify) for the log and the metrics.

/** Milliseconds per phase of one triage, for the log and the metrics: where alert-to-Slack time goes. */
export class Phases {
  private last = performance.now();
  private readonly laps: Record<string, number> = {};

  end(phase: string): void {
    const at = performance.now();
    this.laps[phase] = Math.round((at - this.last) * 10) / 10;
    this.last = at;
  }

  all(): Record<string, number> {
    return { ...this.laps };
  }
}

/**
 * Group commit: calls that queue up while the store is busy are written together by the next turn
 * (one key lookup, one append and one commit per table for all of them), with the same outcome per
 * call as one after another. `schedule` serialises the turns with the store's other DuckDB work.
 */
export class GroupCommitQueue<Call extends { groupKey: string }, Outcome> {
  private readonly queued: Array<{ call: Call; resolve: (outcome: Outcome) => void; reject: (err: unknown) => void }> = [];

  constructor(
    private readonly schedule: (turn: () => Promise<void>) => Promise<unknown>,
    /** Writes calls of one group (same groupKey) together; returns one outcome per call, in order. */
    private readonly writeGroup: (calls: Call[]) => Promise<Outcome[]>,
  ) {}

  submit(call: Call): Promise<Outcome> {
    return new Promise<Outcome>((resolve, reject) => {
      this.queued.push({ call, resolve, reject });
      if (this.queued.length === 1) void this.schedule(() => this.writeQueued());
    });
  }

  private async writeQueued(): Promise<void> {
    const entries = this.queued.splice(0);
    const groups = new Map<string, typeof entries>();
    for (const entry of entries) groups.set(entry.call.groupKey, [...(groups.get(entry.call.groupKey) ?? []), entry]);
    for (const group of groups.values()) {
      try {
        const outcomes = await this.writeGroup(group.map((e) => e.call));
        group.forEach((entry, i) => entry.resolve(outcomes[i]));
      } catch (err) {
        for (const entry of group) entry.reject(err);
      }
    }
  }
}

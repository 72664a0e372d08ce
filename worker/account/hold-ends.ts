/**
 * How an open hold ends other than by its generation's settle: released on request, or
 * resolved when it expires. A generation hold is released only once D1 knows (so its items
 * are no longer claimed), and an expired one is kept or settled while D1 says its work
 * can still count.
 */
import { log } from "../core/log";
import { DEFAULT_HOLD_TTL_SECONDS, type Ledger } from "./ledger";
import type { AccountRecords } from "./records";
import type { SettleResult } from "./types";

const generationOf = (reference: string): string | null => (reference.startsWith("generation:") ? reference.slice("generation:".length) : null);

export class HoldEnds {
  constructor(
    private readonly storage: DurableObjectStorage,
    private readonly ledger: Ledger,
    private readonly records: AccountRecords,
  ) {}

  /** Before an open generation hold is released, D1 learns of it, so its items are no longer claimed. */
  async release(holdId: string): Promise<SettleResult> {
    const hold = this.ledger.hold(holdId);
    const generationId = hold?.status === "open" ? generationOf(hold.reference) : null;
    if (generationId !== null) await this.records.markReleased(generationId);
    return this.storage.transactionSync(() => this.ledger.release(holdId));
  }

  /**
   * Resolves expired holds whose work cannot run any more; returns the ones that ended. A
   * generation hold expires first a few minutes after its reserve: if its generation never
   * reached D1 (the submit crashed in between) it goes back now; if D1 recorded the
   * generation's outcome but the settle never arrived (a crash between the two), it is
   * settled for D1's completed items; while the generation can still complete items, the
   * hold waits and only its timer is pushed out.
   */
  async resolveExpired(): Promise<string[]> {
    const ended: string[] = [];
    for (const hold of this.ledger.expiredHolds()) {
      const generationId = generationOf(hold.reference);
      const state = generationId === null ? null : await this.records.generationState(generationId);
      if (state?.finished) {
        const settled = this.storage.transactionSync(() => this.ledger.settle(hold.id, state.completed));
        log(settled.ok ? "info" : "error", "account.hold_settled_on_expiry", { userId: this.ledger.userId(), holdId: hold.id, ok: settled.ok });
        if (settled.ok && !settled.replayed) ended.push(hold.id);
        continue;
      }
      if (state) {
        this.storage.transactionSync(() => this.ledger.extendHold(hold.id, DEFAULT_HOLD_TTL_SECONDS));
        continue;
      }
      const result = await this.release(hold.id);
      if (result.ok && !result.replayed) ended.push(hold.id);
    }
    return ended;
  }
}

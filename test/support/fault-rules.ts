import type { Random } from '../../src/seed/random.ts';

/** When a rule that matches injects: the part of a rule both fault proxies share. */
export interface RuleDraw {
  /** Inject into these matching ones only (1-based: the rule counts every one it matches). */
  readonly nth?: number | readonly number[];
  /** The chance of injecting into a matching one, drawn from the proxy's seeded random. */
  readonly chance?: number;
}

/**
 * Which rule of a fault proxy fires, the same for the DynamoDB proxy (HTTP requests) and the
 * PostgreSQL one (statements, connection attempts); what a rule matches is each proxy's own.
 * The rules are tried in order and the first one due fires. Every rule counts what it
 * matches whether or not an earlier rule fired, so that a rule's `nth` is its own n-th match
 * whatever the rules before it do; the chance is drawn only for a rule otherwise due, so the
 * seeded draws follow the faults, not the traffic.
 */
export class RuleCounts<R extends RuleDraw> {
  readonly #matched = new Map<R, number>();
  readonly #fired = new Map<R, number>();
  readonly #random: Random;
  readonly #capOf: (rule: R) => number | undefined;

  /** `capOf`: how many injections a rule makes at most (undefined: no cap). */
  constructor(random: Random, capOf: (rule: R) => number | undefined) {
    this.#random = random;
    this.#capOf = capOf;
  }

  /** The rule that fires for one request, statement or connection attempt, if any. */
  decide(rules: readonly R[], matches: (rule: R) => boolean): R | undefined {
    let decided: R | undefined;
    for (const rule of rules) {
      if (!matches(rule)) continue;
      const position = (this.#matched.get(rule) ?? 0) + 1;
      this.#matched.set(rule, position);
      if (decided !== undefined) continue;
      const fired = this.#fired.get(rule) ?? 0;
      const cap = this.#capOf(rule);
      if (cap !== undefined && fired >= cap) continue;
      if (rule.nth !== undefined) {
        const positions = typeof rule.nth === 'number' ? [rule.nth] : rule.nth;
        if (!positions.includes(position)) continue;
      }
      if (rule.chance !== undefined && !(this.#random.next() < rule.chance)) continue;
      this.#fired.set(rule, fired + 1);
      decided = rule;
    }
    return decided;
  }

  /** Forgets what the rules matched and injected: their n-th and caps start again. */
  clear(): void {
    this.#matched.clear();
    this.#fired.clear();
  }
}

/**
 * What a measurement reads of an engine's traffic: DynamoDB requests (the request metrics
 * middleware) or PostgreSQL statements (`Pg.counters`, by `bench/pg-counter.ts`). A
 * `MetricsHandle` of `src/` is one as it is.
 */
export interface Counter {
  total(): number;
  writes(): number;
  reset(): void;
  snapshot(): {
    /** Requests (DynamoDB) or statements (PostgreSQL). */
    requests: number;
    writes: number;
    /** `QueryCommand` ... on DynamoDB; `SELECT answers` ... on PostgreSQL. */
    byCommand: Record<string, number>;
    readCapacity: number;
    writeCapacity: number;
    /** PostgreSQL only: rows returned by SELECTs and rows changed by writes. */
    rowsRead?: number;
    rowsWritten?: number;
  };
}

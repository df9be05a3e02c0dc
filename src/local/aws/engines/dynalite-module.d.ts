// dynalite ships no types. Only what the engine uses is declared, so a change in dynalite's
// API shows up here rather than as an `any` spreading through the code.
declare module 'dynalite' {
  import type { Server } from 'node:http';

  interface DynaliteOptions {
    /** A LevelDB folder; in memory when omitted. */
    path?: string;
    createTableMs?: number;
    deleteTableMs?: number;
    updateTableMs?: number;
  }

  /** Returns an HTTP server not yet listening; its `close` also closes the store. */
  function dynalite(options?: DynaliteOptions): Server;

  export = dynalite;
}

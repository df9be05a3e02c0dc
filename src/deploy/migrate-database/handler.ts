/**
 * The schema migrations of a deployment on PostgreSQL, run by the stack at every deploy
 * whose code or configuration changed (a CDK Trigger, `infra/constructs/migrations.ts`),
 * before the functions are updated: the same `createMissing` as `lms tables create`
 * (`adapters/postgres/migrations.ts`: numbered, each once, serialised by an advisory
 * lock), so a deploy that brings a new migration upgrades the database before new code
 * reads it, and one that brings none changes nothing.
 *
 * Not a catalogue function (`src/catalog/functions.ts`): nothing triggers it but the
 * deploy, it serves no route or schedule, and the local stack runs the same migrations
 * when it starts (`lms start`, `lms tables create`).
 */
import type { Logger } from '../../observability/logger.ts';
import type { TableAdmin, TableChange } from '../../repositories/admin.ts';

/** Its name: the function is deployed as `<stage>-migrate_database`. */
export const MIGRATE_DATABASE = 'migrate_database';

export interface MigrateResult {
  /** Where it ran: the database URL without a password. */
  readonly location: string;
  /** The migrations applied now (`001 initial tables`); none when up to date. */
  readonly applied: readonly string[];
  /** The tables created now. */
  readonly created: readonly string[];
}

/** Opens the tables of the configuration (`connectTables`), and closes them. */
export type OpenAdmin = () => {
  readonly admin: TableAdmin;
  readonly close: () => Promise<void>;
};

const migrationsOf = (changes: readonly TableChange[]): string[] =>
  changes.flatMap((change) => (change.action === 'migrated' ? [change.migration] : []));

const createdOf = (changes: readonly TableChange[]): string[] =>
  changes.flatMap((change) => (change.action === 'created' ? [change.table] : []));

/**
 * The handler: applies what is missing and returns what it did. A failure throws, which
 * fails the trigger and so the deploy (CloudFormation rolls back; the functions keep the
 * code that matches the schema they have).
 *
 * @example
 * ```ts
 * const handle = createMigrateHandler(() => connectTables(config), logger);
 * await handle(); // { location: 'postgres://lms_admin@...', applied: ['001 initial tables'], created: [...] }
 * ```
 */
export const createMigrateHandler =
  (open: OpenAdmin, logger: Logger) => async (): Promise<MigrateResult> => {
    const { admin, close } = open();
    try {
      const changes = await admin.createMissing();
      const result = {
        location: admin.location,
        applied: migrationsOf(changes),
        created: createdOf(changes),
      };
      logger.info(
        result.applied.length === 0 ? 'database up to date' : 'database migrated',
        result,
      );
      return result;
    } catch (error) {
      logger.error('migrations failed', { error });
      throw error;
    } finally {
      await close();
    }
  };

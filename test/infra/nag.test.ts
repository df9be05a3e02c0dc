/**
 * cdk-nag's AwsSolutions pack over every stage's stack: no finding, error or warning, that
 * is not accepted in `infra/nag-suppressions.ts`; each accepted one is on a precise
 * resource (never the stack) with a reason, and still matches a finding (none stale). The
 * checks run both as cdk-nag's own `validateScope` and through CDK's policy validation on
 * synth, which is what `npm run synth` and `cdk deploy` do.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, describe, expect, it } from 'vitest';
import { nagSuppressions } from '../../infra/nag-suppressions.ts';
import { synth } from './support.ts';

/**
 * The stages as deployed: dev-like defaults, production, production over the LMS app's
 * tables with OAuth on, and dev and production on PostgreSQL.
 */
const STAGES: readonly [string, Record<string, unknown>][] = [
  ['dev', { stage: 'dev' }],
  ['staging', { stage: 'staging', logLevel: 'debug', alarmEmail: 'ops@example.org' }],
  ['prod', { stage: 'prod', alarmEmail: 'ops@example.org' }],
  [
    'prod over the LMS app tables, with OAuth',
    {
      stage: 'prod',
      alarmUrl: 'https://events.pagerduty.com/integration/0123/enqueue',
      externalTables: 'lms-app',
      oauthCallbackUrls: 'https://app.example.org/signed-in',
      oauthDomainPrefix: 'lms-school-prod',
    },
  ],
  ['dev on PostgreSQL', { stage: 'dev', database: 'postgres' }],
  [
    'prod on PostgreSQL',
    { stage: 'prod', alarmEmail: 'ops@example.org', database: 'postgres', databaseMaxAcu: 16 },
  ],
];

const outdirs: string[] = [];
afterAll(() => {
  for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
});

/** `rule path` of each finding of the pack over a stage. */
const findings = (context: Record<string, unknown>, acknowledge = true): string[] => {
  const { app } = synth({ context, acknowledgeNagFindings: acknowledge });
  const report = new AwsSolutionsChecks(app).validateScope(app);
  return report.violations.flatMap((violation) =>
    violation.violatingResources.map(
      (resource) => `${violation.ruleName} ${violation.severity} ${resource.constructPath}`,
    ),
  );
};

describe('cdk-nag AwsSolutions', () => {
  it.each(STAGES)('%s: no unsuppressed error or warning', (_, context) => {
    expect(findings(context)).toEqual([]);
  });

  it.each(STAGES)(
    '%s: synth with the pack as a validation plugin (as the CDK app runs it) succeeds',
    (_, context) => {
      const outdir = mkdtempSync(join(tmpdir(), 'lms-nag-'));
      outdirs.push(outdir);
      const { app } = synth({ context, outdir });
      Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
      expect(() => app.synth({ force: true })).not.toThrow();
    },
  );

  it.each(STAGES)(
    '%s: each suppression is on a resource below the stack, with a reason, and matches a finding',
    (_, context) => {
      const { stack } = synth({ context });
      const raw = findings(context, false);
      for (const { rule, resource, reason } of nagSuppressions(stack)) {
        const path = resource.node.path;
        expect(path.startsWith(`${stack.node.path}/`), `${rule} on ${path}`).toBe(true);
        expect(reason.length, `${rule} on ${path} says why`).toBeGreaterThan(40);
        expect(
          raw.some((finding) => {
            const [id, , at] = finding.split(' ');
            return id === rule && (at === path || at?.startsWith(`${path}/`));
          }),
          `${rule} on ${path} no longer matches a finding: drop it`,
        ).toBe(true);
      }
    },
  );

  it('without the suppressions the pack fails the synth (the plugin is really wired)', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'lms-nag-'));
    outdirs.push(outdir);
    const { app } = synth({ context: { stage: 'dev' }, outdir, acknowledgeNagFindings: false });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth({ force: true })).toThrow(/AwsSolutions-L1/);
  });
});

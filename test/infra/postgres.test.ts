/**
 * A stage deployed with `-c database=postgres`: a VPC with isolated subnets only, an
 * encrypted Aurora Serverless v2 cluster whose generated secret is rotated, RDS Proxy in
 * front requiring TLS and IAM, security groups admitting functions -> proxy -> cluster
 * only, the functions with tables in the VPC with a password-less `DATABASE_URL` and
 * `rds-db:connect` instead of DynamoDB grants, no DynamoDB table at all, the migrations
 * run by a trigger before the functions, and the database's alarms. cdk-nag over these
 * stages is in `nag.test.ts`.
 */
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  DATABASE_ACU_PERCENT,
  DATABASE_CPU_PERCENT,
  PROXY_CONNECTIONS_PERCENT,
} from '../../infra/constructs/alarms.ts';
import { DATABASE_USER, POSTGRES_PORT } from '../../infra/constructs/database.ts';
import { type FunctionName, functionNames, functions } from '../../src/catalog/functions.ts';
import { MIGRATE_DATABASE } from '../../src/deploy/migrate-database/handler.ts';
import {
  type CfnResource,
  functionLogicalId,
  resourcesOf,
  type Synthesized,
  statementsOf,
  synth,
} from './support.ts';

const POSTGRES = { database: 'postgres' };
const withTables = functionNames.filter((name) => Object.keys(functions[name].tables).length > 0);
const tableless = functionNames.filter((name) => !withTables.includes(name));

let dev: Synthesized;
let prod: Synthesized;
beforeAll(() => {
  dev = synth({ context: { stage: 'dev', ...POSTGRES } });
  prod = synth({
    context: { stage: 'prod', alarmEmail: 'ops@example.org', databaseMaxAcu: 16, ...POSTGRES },
  });
});

const only = (stage: Synthesized, type: string): [string, CfnResource] => {
  const entries = Object.entries(resourcesOf(stage.template, type));
  if (entries.length !== 1) throw new Error(`${entries.length} resources of type ${type}`);
  return entries[0] as [string, CfnResource];
};

const fnOf = (stage: Synthesized, physicalName: string): CfnResource & { DependsOn?: string[] } =>
  stage.template.toJSON().Resources[functionLogicalId(stage.template, physicalName)];

/** Resolves `Fn::Join` of plain strings and references to a readable string. */
const joined = (value: unknown): string => {
  if (typeof value === 'string') return value;
  const join = (value as { 'Fn::Join'?: [string, unknown[]] })?.['Fn::Join'];
  if (join === undefined) return `<${JSON.stringify(value)}>`;
  return join[1].map(joined).join(join[0]);
};

/** The logical id of the security group named `lms-<stage>-<name>`. */
const securityGroup = (stage: Synthesized, name: string): string => {
  const match = Object.entries(resourcesOf(stage.template, 'AWS::EC2::SecurityGroup')).find(
    ([, group]) => group.Properties.GroupName === `lms-dev-${name}`,
  );
  if (match === undefined) throw new Error(`no security group ${name}`);
  return match[0];
};

const groupRef = (id: string) => ({ 'Fn::GetAtt': [id, 'GroupId'] });

describe('database=postgres: network', () => {
  it('one VPC, isolated subnets only: no internet or NAT gateway, no public address', () => {
    only(dev, 'AWS::EC2::VPC');
    expect(resourcesOf(dev.template, 'AWS::EC2::InternetGateway')).toEqual({});
    expect(resourcesOf(dev.template, 'AWS::EC2::NatGateway')).toEqual({});
    const subnets = Object.values(resourcesOf(dev.template, 'AWS::EC2::Subnet'));
    expect(subnets).toHaveLength(2);
    for (const subnet of subnets) expect(subnet.Properties.MapPublicIpOnLaunch).toBe(false);
    expect(resourcesOf(dev.template, 'AWS::EC2::Route')).toEqual({});
  });

  it('the only endpoint is Secrets Manager, private, for the rotation', () => {
    const [, endpoint] = only(dev, 'AWS::EC2::VPCEndpoint');
    expect(JSON.stringify(endpoint.Properties.ServiceName)).toContain('secretsmanager');
    expect(endpoint.Properties).toMatchObject({
      PrivateDnsEnabled: true,
      VpcEndpointType: 'Interface',
    });
    expect(endpoint.Properties.SubnetIds).toHaveLength(1);
  });

  it('rejected flows are logged', () => {
    expect(only(dev, 'AWS::EC2::FlowLog')[1].Properties).toMatchObject({
      TrafficType: 'REJECT',
      LogDestinationType: 'cloud-watch-logs',
    });
  });

  it('security groups: functions -> proxy -> cluster, rotation -> cluster and endpoint, nothing else', () => {
    const ingress = Object.values(resourcesOf(dev.template, 'AWS::EC2::SecurityGroupIngress')).map(
      (rule) => [
        rule.Properties.GroupId,
        rule.Properties.SourceSecurityGroupId,
        rule.Properties.FromPort,
      ],
    );
    const [functionsSg, proxySg, clusterSg, rotationSg, endpointSg] = [
      'functions',
      'proxy',
      'cluster',
      'rotation',
      'endpoint',
    ].map((name) => groupRef(securityGroup(dev, name)));
    const clusterPort = { 'Fn::GetAtt': [only(dev, 'AWS::RDS::DBCluster')[0], 'Endpoint.Port'] };
    expect(ingress).toEqual(
      expect.arrayContaining([
        [proxySg, functionsSg, POSTGRES_PORT],
        [clusterSg, proxySg, clusterPort],
        [clusterSg, rotationSg, clusterPort],
        [endpointSg, rotationSg, 443],
      ]),
    );
    expect(ingress).toHaveLength(4);
    const groups = Object.values(resourcesOf(dev.template, 'AWS::EC2::SecurityGroup'));
    // No group admits an address range (0.0.0.0/0 or the VPC's): only the rules above.
    for (const group of groups) expect(group.Properties.SecurityGroupIngress).toBeUndefined();
    // Egress goes to a security group, or nowhere (CDK's placeholder rule for "none").
    const egress = [
      ...groups.flatMap((group) => (group.Properties.SecurityGroupEgress ?? []) as object[]),
      ...Object.values(resourcesOf(dev.template, 'AWS::EC2::SecurityGroupEgress')).map(
        (rule) => rule.Properties,
      ),
    ] as { CidrIp?: string; DestinationSecurityGroupId?: unknown }[];
    expect(egress.length).toBeGreaterThan(0);
    for (const rule of egress) {
      expect(
        rule.DestinationSecurityGroupId !== undefined || rule.CidrIp === '255.255.255.255/32',
        JSON.stringify(rule),
      ).toBe(true);
    }
  });
});

describe('database=postgres: cluster, secret and proxy', () => {
  it('Aurora PostgreSQL Serverless v2, encrypted, IAM auth on, exporting its log', () => {
    const [, cluster] = only(dev, 'AWS::RDS::DBCluster');
    expect(cluster.Properties).toMatchObject({
      Engine: 'aurora-postgresql',
      StorageEncrypted: true,
      EnableIAMDatabaseAuthentication: true,
      DatabaseName: 'lms',
      ServerlessV2ScalingConfiguration: { MinCapacity: 0.5, MaxCapacity: 4 },
      EnableCloudwatchLogsExports: ['postgresql'],
      PerformanceInsightsEnabled: true,
      BackupRetentionPeriod: 7,
      DeletionProtection: false,
    });
    expect(cluster.DeletionPolicy).toBe('Delete');
    expect(Object.keys(resourcesOf(dev.template, 'AWS::RDS::DBInstance'))).toHaveLength(1);
  });

  it('prod: retained, deletion-protected, 35 days of backups, a reader for failover', () => {
    const [, cluster] = only(prod, 'AWS::RDS::DBCluster');
    expect(cluster.Properties).toMatchObject({
      DeletionProtection: true,
      BackupRetentionPeriod: 35,
      ServerlessV2ScalingConfiguration: { MinCapacity: 0.5, MaxCapacity: 16 },
    });
    expect(cluster.DeletionPolicy).toBe('Retain');
    expect(cluster.UpdateReplacePolicy).toBe('Retain');
    expect(Object.keys(resourcesOf(prod.template, 'AWS::RDS::DBInstance'))).toHaveLength(2);
  });

  it('Performance Insights on every instance; the synth warns of nothing', () => {
    for (const instance of Object.values(resourcesOf(prod.template, 'AWS::RDS::DBInstance'))) {
      expect(instance.Properties).toMatchObject({
        EnablePerformanceInsights: true,
        PubliclyAccessible: false,
      });
    }
    for (const stage of [dev, prod]) {
      expect(Annotations.fromStack(stage.stack).findWarning('*', Match.anyValue())).toEqual([]);
    }
  });

  it('the password is generated into Secrets Manager and rotated; the template holds none', () => {
    const [, secret] = only(dev, 'AWS::SecretsManager::Secret');
    expect(secret.Properties.GenerateSecretString).toMatchObject({
      SecretStringTemplate: JSON.stringify({ username: DATABASE_USER }),
      GenerateStringKey: 'password',
    });
    const [, cluster] = only(dev, 'AWS::RDS::DBCluster');
    expect(joined(cluster.Properties.MasterUserPassword)).toMatch(
      /^\{\{resolve:secretsmanager:.*:SecretString:password::\}\}$/,
    );
    expect(only(dev, 'AWS::SecretsManager::RotationSchedule')[1].Properties).toMatchObject({
      // The secret with the cluster's host attached (what the rotation logs in to).
      SecretId: { Ref: only(dev, 'AWS::SecretsManager::SecretTargetAttachment')[0] },
      HostedRotationLambda: { RotationType: 'PostgreSQLSingleUser' },
      RotationRules: { ScheduleExpression: 'rate(30 days)' },
    });
    // Only the cluster resolves the secret; nothing else in the template mentions it.
    const resolving = Object.entries(dev.template.toJSON().Resources).filter(([, resource]) =>
      JSON.stringify(resource).includes('resolve:secretsmanager'),
    );
    expect(resolving.map(([, resource]) => (resource as CfnResource).Type)).toEqual([
      'AWS::RDS::DBCluster',
    ]);
  });

  it('RDS Proxy requires TLS and IAM, and uses the generated secret', () => {
    const [, proxy] = only(dev, 'AWS::RDS::DBProxy');
    expect(proxy.Properties).toMatchObject({
      EngineFamily: 'POSTGRESQL',
      RequireTLS: true,
      Auth: [{ AuthScheme: 'SECRETS', IAMAuth: 'REQUIRED' }],
    });
    const [proxyGroupId] = [securityGroup(dev, 'proxy')];
    expect(proxy.Properties.VpcSecurityGroupIds).toEqual([groupRef(proxyGroupId)]);
  });
});

describe('database=postgres: functions', () => {
  it.each(withTables)('%s: in the VPC, DATABASE_URL without a password, IAM auth', (name) => {
    const fn = fnOf(dev, `dev-${name}`);
    expect(fn.Properties.VpcConfig).toMatchObject({
      SecurityGroupIds: [groupRef(securityGroup(dev, 'functions'))],
    });
    const environment = (fn.Properties.Environment as { Variables: Record<string, unknown> })
      .Variables;
    expect(environment.LMS_DATABASE_AUTH).toBe('iam');
    const url = joined(environment.DATABASE_URL);
    expect(url).toMatch(
      new RegExp(
        `^postgres://${DATABASE_USER}@<.*DatabaseProxy.*Endpoint.*>:5432/lms\\?sslmode=verify-full$`,
      ),
    );
    expect(JSON.stringify(environment)).not.toMatch(/password|secret/i);
    expect(environment.DYNAMODB_ENDPOINT).toBeUndefined();
  });

  it.each(withTables)(
    '%s: its role may connect to the proxy as the user, attach to the VPC and log; no DynamoDB',
    (name) => {
      // Besides these, a scheduled function's asynchronous failures go to the queue (CDK's
      // statement for the on-failure destination, without a Sid), as on DynamoDB.
      const statements = statementsOf(dev.template, `dev-${name}`).filter(
        (statement) => statement.Sid !== undefined || !String(statement.Action).startsWith('sqs:'),
      );
      expect(statements.map((statement) => statement.Sid).sort()).toEqual([
        'DatabaseConnect',
        'OwnLogGroup',
        'VpcNetworkInterfaces',
      ]);
      const connect = statements.find((statement) => statement.Sid === 'DatabaseConnect');
      expect(connect?.Action).toBe('rds-db:connect');
      expect(joined(connect?.Resource)).toMatch(
        new RegExp(
          `^arn:<.*>:rds-db:<.*>:<.*>:dbuser:<.*DatabaseProxy.*DBProxyArn.*>/${DATABASE_USER}$`,
        ),
      );
    },
  );

  it.each(tableless)('%s (no table): outside the VPC, no database settings', (name) => {
    const fn = fnOf(dev, `dev-${name}`);
    expect(fn.Properties.VpcConfig).toBeUndefined();
    expect(JSON.stringify(fn.Properties.Environment)).not.toContain('DATABASE_URL');
  });

  it('no DynamoDB table is created, referenced or granted', () => {
    expect(resourcesOf(dev.template, 'AWS::DynamoDB::GlobalTable')).toEqual({});
    expect(resourcesOf(dev.template, 'AWS::DynamoDB::Table')).toEqual({});
    expect(JSON.stringify(dev.template.toJSON())).not.toMatch(/dynamodb:|:table\//);
  });

  it('outputs the URL, the secret and the client security group for operators', () => {
    const outputs = dev.template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(Object.keys(outputs)).toEqual(
      expect.arrayContaining([
        'DatabaseUrl',
        'DatabaseSecretArn',
        'DatabaseClientSecurityGroupId',
        'VpcId',
      ]),
    );
    expect(joined(outputs.DatabaseUrl?.Value)).toMatch(/^postgres:\/\/lms_admin@/);
  });
});

describe('database=postgres: migrations at deploy', () => {
  it('a trigger invokes migrate_database once the proxy is up', () => {
    const [triggerId, trigger] = only(dev, 'Custom::Trigger');
    const migrationId = functionLogicalId(dev.template, `dev-${MIGRATE_DATABASE}`);
    // Its current version: a new migration (new code) or a new prefix is a new version,
    // which runs the trigger again.
    const [versionId, version] = only(dev, 'AWS::Lambda::Version');
    expect(version.Properties.FunctionName).toEqual({ Ref: migrationId });
    expect(trigger.Properties.HandlerArn).toEqual({ Ref: versionId });
    const dependsOn = (dev.template.toJSON().Resources[triggerId].DependsOn ?? []) as string[];
    expect(dependsOn).toContain(only(dev, 'AWS::RDS::DBProxy')[0]);
    expect(dependsOn).toContain(only(dev, 'AWS::RDS::DBCluster')[0]);
    const migration = fnOf(dev, `dev-${MIGRATE_DATABASE}`);
    expect(migration.Properties.VpcConfig).toBeDefined();
    expect((migration.Properties.Environment as { Variables: object }).Variables).toMatchObject({
      LMS_DATABASE_AUTH: 'iam',
      LMS_TABLE_PREFIX: 'dev-',
    });
  });

  it.each(withTables)(
    '%s is created or updated only after the migrations ran',
    (name: FunctionName) => {
      const [triggerId] = only(dev, 'Custom::Trigger');
      expect(fnOf(dev, `dev-${name}`).DependsOn).toContain(triggerId);
    },
  );
});

describe('database=postgres: alarms', () => {
  const alarmNamed = (name: string): CfnResource => {
    const match = Object.values(resourcesOf(dev.template, 'AWS::CloudWatch::Alarm')).find(
      (alarm) => alarm.Properties.AlarmName === `lms-dev-${name}`,
    );
    if (match === undefined) throw new Error(`no alarm ${name}`);
    return match;
  };

  it('CPU and ACUs at the maximum, on the cluster, two periods running', () => {
    expect(alarmNamed('database-cpu').Properties).toMatchObject({
      Namespace: 'AWS/RDS',
      MetricName: 'CPUUtilization',
      Threshold: DATABASE_CPU_PERCENT,
      EvaluationPeriods: 2,
    });
    expect(alarmNamed('database-acu-at-max').Properties).toMatchObject({
      Namespace: 'AWS/RDS',
      MetricName: 'ACUUtilization',
      Threshold: DATABASE_ACU_PERCENT,
      EvaluationPeriods: 2,
    });
  });

  it("the proxy's connections near its limit, and connections it refused", () => {
    const connections = alarmNamed('database-proxy-connections').Properties;
    expect(connections.Threshold).toBe(PROXY_CONNECTIONS_PERCENT);
    expect(JSON.stringify(connections.Metrics)).toContain('MaxDatabaseConnectionsAllowed');
    expect(alarmNamed('database-proxy-auth-failures').Properties).toMatchObject({
      Namespace: 'AWS/RDS',
      MetricName: 'ClientConnectionsSetupFailedAuth',
      Threshold: 1,
    });
  });

  it('no table throttle alarm: there is no table', () => {
    const names = Object.values(resourcesOf(dev.template, 'AWS::CloudWatch::Alarm')).map((alarm) =>
      String(alarm.Properties.AlarmName),
    );
    expect(names.filter((name) => name.includes('-table-'))).toEqual([]);
  });
});

/**
 * The PostgreSQL of a stage deployed with `-c database=postgres`: a VPC with isolated
 * subnets only, Aurora PostgreSQL Serverless v2 in it, its credentials generated into
 * Secrets Manager and rotated, and RDS Proxy in front, which the functions reach with IAM
 * tokens over TLS. docs/deployment.md ("Deploying on PostgreSQL") says why each piece.
 *
 * The network, and why no NAT gateway: in this mode a function's only network peer is the
 * proxy. Its IAM token is signed locally (no STS or RDS call), its logs and EMF metrics
 * leave through Lambda's own log delivery, and the Lambda service itself (not the
 * function) invokes it, retries it and sends its failures to the queue. Nothing in a
 * function calls an AWS API, so its subnets need no route out at all: no NAT gateway
 * (about $32 a month per zone, and an egress path to the internet) and no interface
 * endpoint for them. The one caller of an AWS API inside the VPC is the secret's rotation
 * function (Secrets Manager's), which gets one interface endpoint for that service.
 * `pre_token_generation`, which has no table but calls Cognito, stays outside the VPC.
 */
import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  FlowLogDestination,
  FlowLogTrafficType,
  type InterfaceVpcEndpoint,
  InterfaceVpcEndpointAwsService,
  type ISecurityGroup,
  Port,
  SecurityGroup,
  type SubnetSelection,
  SubnetType,
  Vpc,
} from 'aws-cdk-lib/aws-ec2';
import { Effect, type IRole, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  AuroraPostgresEngineVersion,
  ClusterInstance,
  Credentials,
  DatabaseCluster,
  DatabaseClusterEngine,
  DatabaseProxy,
  ProxyTarget,
} from 'aws-cdk-lib/aws-rds';
import { HostedRotation, type ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { DatabaseAuth } from '../../src/config/config.ts';
import type { PostgresSettings, StageSettings } from '../settings.ts';

/** The database the migrations and the functions use. */
export const DATABASE_NAME = 'lms';
/**
 * The user of the generated secret: the proxy logs in as it with the secret's password,
 * and the functions ask the proxy for it with an IAM token (`rds-db:connect` on it).
 */
export const DATABASE_USER = 'lms_admin';
/** PostgreSQL's port, the proxy's (RDS Proxy listens on the engine's default only). */
export const POSTGRES_PORT = 5432;
/** How often the secret's password changes; the proxy reads the new one itself. */
export const ROTATION_DAYS = 30;

/** What a function needs to reach the database, to spread into its `NodejsFunction` props. */
export interface DatabaseAccess {
  readonly vpc: Vpc;
  readonly vpcSubnets: SubnetSelection;
  readonly securityGroups: ISecurityGroup[];
  /** `DATABASE_URL` (user, no password) and `LMS_DATABASE_AUTH=iam`. */
  readonly environment: Readonly<Record<string, string>>;
}

export interface LmsDatabaseProps {
  readonly settings: StageSettings;
  readonly postgres: PostgresSettings;
}

/**
 * @example
 * ```ts
 * const database = new LmsDatabase(stack, 'Database', { settings, postgres: settings.postgres });
 * new NodejsFunction(scope, 'Fn', { role, ...database.accessFor(role) });
 * ```
 */
export class LmsDatabase extends Construct {
  readonly vpc: Vpc;
  readonly cluster: DatabaseCluster;
  readonly proxy: DatabaseProxy;
  /** The generated credentials (user `lms_admin`), read by the proxy and the rotation only. */
  readonly secret: ISecret;
  /** `databaseMaxAcu`: what the ACU alarm's percentage is of. */
  readonly maxCapacity: number;
  /** The security group of every function that connects: the only one the proxy admits. */
  readonly clientSecurityGroup: SecurityGroup;
  /** The Secrets Manager endpoint, for the rotation function alone. */
  readonly secretsEndpoint: InterfaceVpcEndpoint;
  /** `postgres://lms_admin@<proxy>:5432/lms?sslmode=verify-full`: no password, TLS verified. */
  readonly url: string;
  /** The roles given access ({@link accessFor}): their VPC statement is on `*`. */
  readonly clients: IRole[] = [];
  private readonly isolated: SubnetSelection = { subnetType: SubnetType.PRIVATE_ISOLATED };

  constructor(scope: Construct, id: string, props: LmsDatabaseProps) {
    super(scope, id);
    const { settings, postgres } = props;
    this.maxCapacity = postgres.maxCapacity;
    const retained = settings.production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const retention = settings.production ? RetentionDays.SIX_MONTHS : RetentionDays.ONE_MONTH;

    // Two zones: Aurora needs subnets in two, and a writer's failover goes to the other.
    this.vpc = new Vpc(this, 'Vpc', {
      vpcName: `lms-${settings.stage}`,
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [
        { name: 'isolated', subnetType: SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
      ],
      // Rejected flows only: what a security group refused is what an investigation needs;
      // every accepted flow of every connection would cost more than the VPC.
      flowLogs: {
        rejected: {
          trafficType: FlowLogTrafficType.REJECT,
          destination: FlowLogDestination.toCloudWatchLogs(
            new LogGroup(this, 'FlowLogs', {
              logGroupName: `/lms/${settings.stage}/vpc-flow-logs`,
              retention,
              removalPolicy: retained,
            }),
          ),
        },
      },
    });

    // Each group admits only the one before it: functions -> proxy -> cluster, and the
    // rotation function -> cluster and -> the Secrets Manager endpoint. None may reach out
    // anywhere else (allowAllOutbound off: the rules below add exactly the egress needed).
    const group = (name: string, description: string) =>
      new SecurityGroup(this, `${name}SecurityGroup`, {
        vpc: this.vpc,
        securityGroupName: `lms-${settings.stage}-${name.toLowerCase()}`,
        description: `lms-${settings.stage}: ${description}`,
        allowAllOutbound: false,
      });
    this.clientSecurityGroup = group('Functions', 'functions that connect to the database proxy');
    const proxyGroup = group('Proxy', 'RDS Proxy, reached by the functions only');
    const clusterGroup = group('Cluster', 'Aurora, reached by the proxy and the rotation only');
    const rotationGroup = group('Rotation', 'the rotation of the database secret');
    const endpointGroup = group('Endpoint', 'the Secrets Manager endpoint, for the rotation');

    const clusterIdentifier = `lms-${settings.stage}`;
    // The group RDS exports the server's log to, made here (rather than with
    // `cloudwatchLogsRetention`, a custom resource and its function) so that its retention
    // is in the template; made first, or RDS would create it and this one fail.
    const serverLogs = new LogGroup(this, 'ServerLogs', {
      logGroupName: `/aws/rds/cluster/${clusterIdentifier}/postgresql`,
      retention,
      removalPolicy: retained,
    });
    this.cluster = new DatabaseCluster(this, 'Cluster', {
      clusterIdentifier,
      engine: DatabaseClusterEngine.auroraPostgres({
        version: AuroraPostgresEngineVersion.VER_16_13,
      }),
      credentials: Credentials.fromGeneratedSecret(DATABASE_USER, {
        secretName: `lms-${settings.stage}/database`,
      }),
      defaultDatabaseName: DATABASE_NAME,
      writer: ClusterInstance.serverlessV2('writer', {
        publiclyAccessible: false,
        enablePerformanceInsights: true,
      }),
      // Production keeps a reader in the other zone: a failover promotes it in about 30 s
      // instead of waiting for a new writer (docs/database-choice.md sizes it).
      readers: settings.production
        ? [
            ClusterInstance.serverlessV2('reader', {
              scaleWithWriter: true,
              publiclyAccessible: false,
              enablePerformanceInsights: true,
            }),
          ]
        : [],
      serverlessV2MinCapacity: postgres.minCapacity,
      serverlessV2MaxCapacity: postgres.maxCapacity,
      vpc: this.vpc,
      vpcSubnets: this.isolated,
      securityGroups: [clusterGroup],
      // The account's AWS-managed key, as for the DynamoDB tables (tables.ts says why).
      storageEncrypted: true,
      // Lets an operator connect with an IAM token too (the proxy uses the secret).
      iamAuthentication: true,
      backup: {
        retention: Duration.days(settings.production ? 35 : 7),
        // 19:00-20:00 UTC: 03:00-04:00 in Asia/Shanghai, after the nightly jobs.
        preferredWindow: '19:00-20:00',
      },
      preferredMaintenanceWindow: 'Sun:20:30-Sun:21:30',
      copyTagsToSnapshot: true,
      cloudwatchLogsExports: ['postgresql'],
      // The top statements by load, for the CPU alarm's runbook (7 days: the free tier).
      enablePerformanceInsights: true,
      deletionProtection: settings.production,
      removalPolicy: retained,
    });

    this.cluster.node.addDependency(serverLogs);
    const secret = this.cluster.secret;
    if (secret === undefined) throw new Error('the cluster has no generated secret');
    this.secret = secret;
    // Secrets Manager's own rotation function (a hosted rotation), in the VPC: it logs in
    // to the cluster directly, and reaches Secrets Manager through the endpoint.
    const rotation = HostedRotation.postgreSqlSingleUser({
      functionName: `lms-${settings.stage}-database-rotation`,
      vpc: this.vpc,
      vpcSubnets: this.isolated,
      securityGroups: [rotationGroup],
    });
    secret.addRotationSchedule('Rotation', {
      hostedRotation: rotation,
      automaticallyAfter: Duration.days(ROTATION_DAYS),
    });
    // One zone is enough for a monthly rotation that retries: half the endpoint's price.
    this.secretsEndpoint = this.vpc.addInterfaceEndpoint('SecretsManager', {
      service: InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
      subnets: { subnets: this.vpc.isolatedSubnets.slice(0, 1) },
      securityGroups: [endpointGroup],
      open: false,
    });
    this.secretsEndpoint.connections.allowFrom(rotationGroup, Port.tcp(443), 'rotation');
    this.cluster.connections.allowDefaultPortFrom(rotationGroup, 'rotation');

    this.proxy = new DatabaseProxy(this, 'Proxy', {
      dbProxyName: `lms-${settings.stage}`,
      proxyTarget: ProxyTarget.fromCluster(this.cluster),
      secrets: [secret],
      vpc: this.vpc,
      vpcSubnets: this.isolated,
      securityGroups: [proxyGroup],
      iamAuth: true,
      requireTLS: true,
      // A caller waits at most this long for a database connection, the client's own connect
      // timeout (`pg.ts`): a starved pool fails the attempt, which is retried, instead of
      // holding a function for the default 120 s.
      borrowTimeout: Duration.seconds(10),
    });
    // The proxy's binding lets it reach the cluster's port; the functions reach the proxy.
    this.proxy.connections.allowFrom(
      this.clientSecurityGroup,
      Port.tcp(POSTGRES_PORT),
      'functions',
    );
    this.url = `postgres://${DATABASE_USER}@${this.proxy.endpoint}:${POSTGRES_PORT}/${DATABASE_NAME}?sslmode=verify-full`;
  }

  /**
   * Lets a function's role reach the database, and returns its network and configuration.
   * The role gets `rds-db:connect` on the proxy's user (nothing on the cluster, no secret)
   * and what Lambda needs to attach the function to the VPC.
   */
  accessFor(role: IRole): DatabaseAccess {
    this.clients.push(role);
    // `arn:aws:rds:<region>:<account>:db-proxy:prx-...`: the user's ARN names the `prx-` id.
    const { resourceName: proxyId } = Stack.of(this).splitArn(
      this.proxy.dbProxyArn,
      ArnFormat.COLON_RESOURCE_NAME,
    );
    role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'DatabaseConnect',
        effect: Effect.ALLOW,
        actions: ['rds-db:connect'],
        resources: [
          Stack.of(this).formatArn({
            service: 'rds-db',
            resource: 'dbuser',
            resourceName: `${proxyId}/${DATABASE_USER}`,
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        ],
      }),
    );
    role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'VpcNetworkInterfaces',
        effect: Effect.ALLOW,
        // What AWSLambdaVPCAccessExecutionRole grants, without its logs on every group:
        // Lambda creates and removes the function's network interfaces with its role.
        actions: [
          'ec2:CreateNetworkInterface',
          'ec2:DescribeNetworkInterfaces',
          'ec2:DescribeSubnets',
          'ec2:DeleteNetworkInterface',
          'ec2:AssignPrivateIpAddresses',
          'ec2:UnassignPrivateIpAddresses',
        ],
        resources: ['*'],
      }),
    );
    return {
      vpc: this.vpc,
      vpcSubnets: this.isolated,
      securityGroups: [this.clientSecurityGroup],
      environment: { DATABASE_URL: this.url, LMS_DATABASE_AUTH: DatabaseAuth.Iam },
    };
  }
}

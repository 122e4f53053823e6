import * as path from 'node:path';
import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { ResourceNames } from '@plant/config';
import { PlatformConfig } from '../config/platform-config';
import { LakeCatalog } from './lake-catalog';

/** The database Spark's Hive/Glue catalog client needs at start-up. */
export const GLUE_DEFAULT_DATABASE = 'default';

export const ETL_SCRIPTS_DIR = path.resolve(__dirname, '../../etl');

/**
 * The two transforms, in run order; each is `run_sql.py` with one SQL file, generated from the ETL
 * definition in libs/lake (`npm run etl:sql`), which `npm run etl` runs locally with DuckDB.
 */
export const ETL_STEPS = [
  { id: 'RawToCurated', jobName: 'plant-raw-to-curated', sqlFile: 'raw_to_curated.sql' },
  { id: 'CuratedToRefined', jobName: 'plant-curated-to-refined', sqlFile: 'curated_to_refined.sql' },
] as const;

export interface EtlPipelineProps {
  config: PlatformConfig;
  key: kms.IKey;
  lake: s3.IBucket;
  catalog: LakeCatalog;
}

/**
 * raw → curated → refined: Glue 5.1 Spark jobs that run the SQL files under infra/etl, chained by a
 * Step Functions state machine with retries, started every hour by EventBridge Scheduler.
 */
export class EtlPipeline extends Construct {
  readonly role: iam.Role;
  readonly jobs: glue.CfnJob[] = [];
  readonly stateMachine: sfn.StateMachine;
  readonly schedule: scheduler.Schedule;

  constructor(scope: Construct, id: string, props: EtlPipelineProps) {
    super(scope, id);
    const { config, key, lake } = props;
    const stack = Stack.of(this);

    this.role = new iam.Role(this, 'JobRole', {
      assumedBy: new iam.ServicePrincipal('glue.amazonaws.com'),
      description: 'Glue ETL jobs: read raw, write curated/refined/features of the lake',
    });
    // Spark reads and writes S3 directly (not through Lake Formation credential vending).
    lake.grantRead(this.role, 'raw/*');
    for (const zone of ['curated', 'refined', 'features']) lake.grantReadWrite(this.role, `${zone}/*`);
    this.role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [lake.bucketArn] }));
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: [
          'glue:GetDatabase', 'glue:GetTable', 'glue:GetTables', 'glue:UpdateTable',
          'glue:GetPartition', 'glue:GetPartitions', 'glue:BatchGetPartition', 'glue:CreatePartition',
          'glue:BatchCreatePartition', 'glue:UpdatePartition', 'glue:BatchUpdatePartition', 'glue:DeletePartition', 'glue:BatchDeletePartition',
        ],
        resources: [props.catalog.catalogArn, props.catalog.databaseArn, stack.formatArn({ service: 'glue', resource: 'table', resourceName: `${ResourceNames.glueDatabase}/*` })],
      }),
    );
    // Spark's Glue catalog client checks the `default` database at start and creates it when missing
    // ("Unable to verify existence of default database" otherwise); Lake Formation side: Governance.
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['glue:GetDatabase', 'glue:CreateDatabase'],
        resources: [props.catalog.catalogArn, stack.formatArn({ service: 'glue', resource: 'database', resourceName: GLUE_DEFAULT_DATABASE })],
      }),
    );
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:AssociateKmsKey'],
        resources: [stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: '/aws-glue/*', arnFormat: ArnFormat.COLON_RESOURCE_NAME })],
      }),
    );
    this.role.addToPolicy(new iam.PolicyStatement({ actions: ['cloudwatch:PutMetricData'], resources: ['*'], conditions: { StringEquals: { 'cloudwatch:namespace': 'Glue' } } }));
    key.grantEncryptDecrypt(this.role);

    const securityConfiguration = new glue.CfnSecurityConfiguration(this, 'SecurityConfiguration', {
      name: `plant-${config.envName}-etl`,
      encryptionConfiguration: {
        s3Encryptions: [{ s3EncryptionMode: 'SSE-KMS', kmsKeyArn: key.keyArn }],
        cloudWatchEncryption: { cloudWatchEncryptionMode: 'SSE-KMS', kmsKeyArn: key.keyArn },
        jobBookmarksEncryption: { jobBookmarksEncryptionMode: 'CSE-KMS', kmsKeyArn: key.keyArn },
      },
    });

    const runner = new s3assets.Asset(this, 'RunSqlScript', { path: path.join(ETL_SCRIPTS_DIR, 'run_sql.py') });
    runner.grantRead(this.role);
    const steps = ETL_STEPS.map((step) => {
      const sql = new s3assets.Asset(this, `${step.id}Sql`, { path: path.join(ETL_SCRIPTS_DIR, step.sqlFile) });
      sql.grantRead(this.role);
      const job = new glue.CfnJob(this, `${step.id}Job`, {
        name: step.jobName,
        description: `Runs ${step.sqlFile} with Spark SQL`,
        role: this.role.roleArn,
        glueVersion: '5.1',
        command: { name: 'glueetl', pythonVersion: '3', scriptLocation: runner.s3ObjectUrl },
        workerType: config.etl.workerType,
        numberOfWorkers: config.etl.numberOfWorkers,
        timeout: config.etl.jobTimeoutMinutes,
        // Step Functions owns retries, so a failure is visible once and retried with backoff.
        maxRetries: 0,
        executionProperty: { maxConcurrentRuns: 1 },
        securityConfiguration: securityConfiguration.ref,
        defaultArguments: {
          '--job-language': 'python',
          '--enable-glue-datacatalog': 'true',
          '--enable-metrics': 'true',
          '--enable-continuous-cloudwatch-log': 'true',
          '--sql_script': sql.s3ObjectUrl,
          '--database': ResourceNames.glueDatabase,
          '--lake_bucket': lake.bucketName,
        },
      });
      this.jobs.push(job);
      return { step, job };
    });

    const failed = new sfn.Fail(this, 'EtlFailed', { error: 'EtlFailed', cause: 'A Glue transform failed after its retries' });
    const transforms = steps.map(({ step, job }) => {
        const task = new tasks.GlueStartJobRun(this, step.id, {
          glueJobName: job.ref,
          integrationPattern: sfn.IntegrationPattern.RUN_JOB,
          arguments: sfn.TaskInput.fromObject({ '--scheduled_time': sfn.JsonPath.stringAt('$.scheduledTime') }),
          resultPath: sfn.JsonPath.DISCARD,
          taskTimeout: sfn.Timeout.duration(Duration.minutes(config.etl.jobTimeoutMinutes + 5)),
        });
        // A previous hour's run still going, or a Glue capacity blip: wait and try again.
        task.addRetry({ errors: ['Glue.ConcurrentRunsExceededException', 'Glue.ThrottlingException'], interval: Duration.minutes(2), maxAttempts: 5, backoffRate: 2 });
        task.addRetry({ errors: ['States.TaskFailed'], interval: Duration.minutes(1), maxAttempts: 2, backoffRate: 2 });
        task.addCatch(failed, { resultPath: '$.error' });
        return task;
      });
    const [first, ...rest] = transforms;
    const chain = rest.reduce((previous, task) => previous.next(task), sfn.Chain.start(first)).next(new sfn.Succeed(this, 'Refined'));

    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName: `plant-etl-${config.envName}`,
      definitionBody: sfn.DefinitionBody.fromChainable(chain),
      timeout: Duration.minutes(config.etl.jobTimeoutMinutes * ETL_STEPS.length * 3),
      tracingEnabled: true,
      logs: {
        destination: new logs.LogGroup(this, 'StateMachineLogs', {
          logGroupName: `/aws/vendedlogs/states/plant-etl-${config.envName}`,
          retention: config.services.logRetention,
          removalPolicy: config.removalPolicy,
        }),
        level: sfn.LogLevel.ALL,
        includeExecutionData: false,
      },
    });

    this.schedule = new scheduler.Schedule(this, 'Schedule', {
      scheduleName: `plant-etl-${config.envName}`,
      description: 'Hourly raw → curated → refined run',
      schedule: scheduler.ScheduleExpression.expression(config.etl.schedule),
      target: new schedulerTargets.StepFunctionsStartExecution(this.stateMachine, {
        input: scheduler.ScheduleTargetInput.fromObject({ scheduledTime: scheduler.ContextAttribute.scheduledTime }),
      }),
    });
  }
}

import { Stack } from 'aws-cdk-lib';
import { AnalyticsStack } from '../stacks/analytics-stack';
import { DataStack } from '../stacks/data-stack';
import { MlStack } from '../stacks/ml-stack';
import { ServicesStack } from '../stacks/services-stack';
import { acknowledgeRule, allowWildcards, AllowedWildcard, GRANT_WILDCARDS } from './acknowledgements';

/**
 * Every cdk-nag AwsSolutions finding the platform accepts, each with its reason, in one place so a
 * review sees them all. Wildcards not declared here fail the nag test.
 */
export function acknowledgePlatformFindings(stack: Stack): void {
  if (stack instanceof DataStack) acknowledgeData(stack);
  else if (stack instanceof AnalyticsStack) acknowledgeAnalytics(stack);
  else if (stack instanceof MlStack) acknowledgeMl(stack);
  else if (stack instanceof ServicesStack) acknowledgeServices(stack);
}

const lakePrefix = (prefixes: string[], reason: string): AllowedWildcard => ({
  finding: new RegExp(`^Resource::.*/(${prefixes.join('|')})/\\*$`),
  reason,
});
const grantDefaults = [GRANT_WILDCARDS.kms, GRANT_WILDCARDS.s3Object];

function acknowledgeData(stack: DataStack): void {
  allowWildcards(stack.coldPath, [
    ...grantDefaults,
    lakePrefix(['raw', 'raw-errors', 'dlq', 'dlq-errors'], 'Firehose writes objects under the raw zone, the dead-letter prefix and their error prefixes; keys are generated per delivery'),
  ]);
  // Only synthesised with -c trendStore=timestream-liveanalytics, for accounts that already have it.
  const liveAnalytics = 'Timestream LiveAnalytics is closed to new customers; selected explicitly for an account that already uses it (the default is Timestream for InfluxDB)';
  for (const resource of [stack.hotPath.telemetryDatabase, stack.hotPath.telemetryTable]) {
    if (resource) acknowledgeRule(resource, 'CloudFormation-Validate::W3697', liveAnalytics);
  }
}

function acknowledgeAnalytics(stack: AnalyticsStack): void {
  allowWildcards(stack.etl, [
    ...grantDefaults,
    lakePrefix(['raw', 'curated', 'refined', 'features'], 'Spark reads raw and rewrites partitions of the zones it produces; object keys are generated'),
    { finding: /^Resource::arn:aws:s3:::cdk-hnb659fds-assets-.*\/\*$/, reason: 'Glue reads its script and SQL assets from the CDK bootstrap bucket; asset keys are content hashes' },
    { finding: /^Resource::arn:aws:glue:.*:table\/plant_lake\/\*$/, reason: 'Jobs manage partitions of every table of the lake database, and only that database' },
    { finding: /^Resource::arn:aws:logs:.*:log-group:\/aws-glue\/\*$/, reason: 'Glue writes job logs to log groups it names under /aws-glue/' },
    { finding: /^Resource::\*$/, reason: 'cloudwatch:PutMetricData (condition: namespace Glue) and X-Ray/log delivery have no resource-level scope' },
  ]);
  allowWildcards(stack.governance, [
    ...grantDefaults,
    lakePrefix(['raw', 'curated', 'refined', 'features'], 'Lake Formation vends credentials for the registered zone prefixes'),
    lakePrefix(['results'], 'Athena writes query results with generated keys under the work group prefix'),
    { finding: /^Resource::\*$/, reason: 'lakeformation:GetDataAccess has no resource-level scope; Lake Formation grants decide what is readable' },
  ]);
  acknowledgeRule(
    stack.governance.etlCreatesDefaultDatabase,
    'CloudFormation-Validate::F3012',
    'The validator types Resource.Catalog as a string; the resource provider schema (aws-lakeformation-principalpermissions) and the template reference define it as the empty CatalogResource object, which a catalog-level grant needs',
  );
}

function acknowledgeMl(stack: MlStack): void {
  allowWildcards(stack.ml, [
    ...grantDefaults,
    lakePrefix(['feature-store'], 'The offline store writes Parquet files with generated keys under its prefix'),
    { finding: /^Resource::arn:aws:logs:.*:log-group:\/aws\/sagemaker\/Endpoints\/\*$/, reason: 'SageMaker names the endpoint log groups under /aws/sagemaker/Endpoints/' },
    { finding: /^Resource::\*$/, reason: 'ecr:GetAuthorizationToken and cloudwatch:PutMetricData (namespace-conditioned) have no resource-level scope' },
  ]);
  acknowledgeRule(
    stack.ml.model,
    'AwsSolutions-SM1',
    stack.ml.model.enableNetworkIsolation
      ? 'The model runs with network isolation: no network at all is stricter than a VPC'
      : 'Serverless inference supports neither a VPC nor network isolation; the container only serves its packaged model',
  );
  if (stack.ml.endpointConfig.kmsKeyId === undefined) {
    acknowledgeRule(stack.ml.endpointConfig, 'AwsSolutions-SM2', 'Serverless endpoints have no ML storage volume and do not accept KmsKeyId');
  }
}

function acknowledgeServices(stack: ServicesStack): void {
  const { services } = stack;
  allowWildcards(services, [
    ...grantDefaults,
    lakePrefix(['results'], 'Athena writes query results with generated keys under the work group prefix'),
    { finding: /^Resource::\*$/, reason: 'timestream:DescribeEndpoints, lakeformation:GetDataAccess and ecr:GetAuthorizationToken have no resource-level scope' },
  ]);
  for (const app of Object.values(services.apps)) {
    acknowledgeRule(app.service.taskDefinition, 'AwsSolutions-ECS2', 'Environment variables hold resource names and URLs only; the internal auth secret comes from Secrets Manager');
  }
  acknowledgeRule(services.identity.userPool, 'AwsSolutions-COG8', 'No self sign-up and MFA required: administrators create every API user, so the Plus plan\'s threat protection is not bought yet');
  acknowledgeRule(services.identity.internalSecret, 'AwsSolutions-SMG4', 'The gateway and the subgraphs must switch to a new internal secret together: it is rotated with a planned redeploy of the four services');
  if (services.trendStore) {
    acknowledgeRule(services.trendStore.adminSecret, 'AwsSolutions-SMG4', 'The InfluxDB admin password is set once at instance creation; Secrets Manager cannot rotate it inside InfluxDB (no rotation Lambda exists for it)');
    acknowledgeRule(services.trendStore.tokenSecret, 'AwsSolutions-SMG4', 'An InfluxDB API token is created inside InfluxDB by an operator (runbook); rotating it means creating a new token there and updating this secret');
  }
  acknowledgeRule(services.loadBalancer, 'AwsSolutions-EC23', 'The ALB is the public GraphQL endpoint: it must accept clients from anywhere; only the listener port is open');
}

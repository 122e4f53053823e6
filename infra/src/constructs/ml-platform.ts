import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct } from 'constructs';
import { ResourceNames } from '@plant/config';
import { EndpointCapacity, PlatformConfig } from '../config/platform-config';
import { ASSET_HEALTH_FEATURES, ColumnType, LAKE_PREFIXES } from '@plant/config';

export interface MlPlatformProps {
  config: PlatformConfig;
  key: kms.IKey;
  lake: s3.IBucket;
}

/** Feature Store types of the lake's column types; times are ISO-8601 strings in Feature Store. */
const FEATURE_TYPES: Record<ColumnType, 'String' | 'Integral' | 'Fractional'> = {
  string: 'String',
  timestamp: 'String',
  date: 'String',
  boolean: 'Integral',
  int: 'Integral',
  bigint: 'Integral',
  double: 'Fractional',
};

/**
 * The asset health feature group (online for the ml-subgraph, offline in the lake for training)
 * and the failure-risk model behind a SageMaker endpoint. Features come from lake-schema.ts.
 */
export class MlPlatform extends Construct {
  readonly featureGroup: sagemaker.CfnFeatureGroup;
  readonly model: sagemaker.CfnModel;
  readonly endpointConfig: sagemaker.CfnEndpointConfig;
  readonly endpoint: sagemaker.CfnEndpoint;
  private readonly key: kms.IKey;

  constructor(scope: Construct, id: string, props: MlPlatformProps) {
    super(scope, id);
    const { config, key, lake } = props;
    this.key = key;

    const featureStoreRole = new iam.Role(this, 'FeatureStoreRole', {
      assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com'),
      description: 'Feature Store offline store: write feature-store/ of the lake',
    });
    lake.grantReadWrite(featureStoreRole, `${LAKE_PREFIXES.featureStore}*`);
    featureStoreRole.addToPolicy(new iam.PolicyStatement({ actions: ['s3:GetBucketAcl'], resources: [lake.bucketArn] }));

    this.featureGroup = new sagemaker.CfnFeatureGroup(this, 'AssetHealthFeatures', {
      featureGroupName: ResourceNames.featureGroup,
      description: ASSET_HEALTH_FEATURES.description,
      recordIdentifierFeatureName: 'asset_id',
      eventTimeFeatureName: 'event_time',
      featureDefinitions: ASSET_HEALTH_FEATURES.columns.map((c) => ({ featureName: c.name, featureType: FEATURE_TYPES[c.type] })),
      // These two properties are passed to CloudFormation as written (untyped JSON): PascalCase keys.
      onlineStoreConfig: { EnableOnlineStore: true, SecurityConfig: { KmsKeyId: key.keyArn } },
      offlineStoreConfig: {
        S3StorageConfig: { S3Uri: `s3://${lake.bucketName}/${LAKE_PREFIXES.featureStore}`, KmsKeyId: key.keyArn },
        // The ETL writes the catalogued features table (zone features/); the offline store is the training archive.
        DisableGlueTableCreation: true,
      },
      roleArn: featureStoreRole.roleArn,
    });
    this.featureGroup.node.addDependency(featureStoreRole);

    const modelRole = new iam.Role(this, 'ModelRole', {
      assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com'),
      description: 'Failure-risk model: read its artifact, pull its image, write its logs',
    });
    lake.grantRead(modelRole, config.ml.modelArtifactKey);
    const image = parseEcrImage(config.ml.modelImageUri);
    modelRole.addToPolicy(new iam.PolicyStatement({ actions: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'], resources: [image.repositoryArn] }));
    // https://docs.aws.amazon.com/AmazonECR/latest/userguide/security_iam_id-based-policy-examples.html (no resource scope)
    modelRole.addToPolicy(new iam.PolicyStatement({ actions: ['ecr:GetAuthorizationToken'], resources: ['*'] }));
    modelRole.addToPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [Stack.of(this).formatArn({ service: 'logs', resource: 'log-group', resourceName: '/aws/sagemaker/Endpoints/*', arnFormat: ArnFormat.COLON_RESOURCE_NAME })],
      }),
    );
    modelRole.addToPolicy(new iam.PolicyStatement({ actions: ['cloudwatch:PutMetricData'], resources: ['*'], conditions: { StringLike: { 'cloudwatch:namespace': '/aws/sagemaker/*' } } }));

    this.model = new sagemaker.CfnModel(this, 'FailureRiskModel', {
      executionRoleArn: modelRole.roleArn,
      // Instances: the container needs no network (SageMaker fetches artifact and image). Serverless
      // endpoints do not support network isolation at all, so the flag stays off there.
      // https://docs.aws.amazon.com/sagemaker/latest/dg/serverless-endpoints.html (feature exclusions)
      enableNetworkIsolation: supportsNetworkIsolation(config.ml.endpoint),
      primaryContainer: {
        image: config.ml.modelImageUri,
        modelDataUrl: `s3://${lake.bucketName}/${config.ml.modelArtifactKey}`,
        environment: sklearnContainerEnvironment(config.ml.entryPoint),
      },
    });
    this.model.node.addDependency(modelRole);

    this.endpointConfig = new sagemaker.CfnEndpointConfig(this, 'FailureRiskEndpointConfig', {
      ...endpointCapacity(config.ml.endpoint, this.model.attrModelName, key),
    });
    this.endpoint = new sagemaker.CfnEndpoint(this, 'FailureRiskEndpoint', {
      endpointName: ResourceNames.modelEndpoint,
      endpointConfigName: this.endpointConfig.attrEndpointConfigName,
    });
  }

  get featureGroupArn(): string {
    return Stack.of(this).formatArn({ service: 'sagemaker', resource: 'feature-group', resourceName: ResourceNames.featureGroup });
  }

  get endpointArn(): string {
    return Stack.of(this).formatArn({ service: 'sagemaker', resource: 'endpoint', resourceName: ResourceNames.modelEndpoint });
  }

  /** Online feature reads; the online store is encrypted with the platform key. */
  grantReadFeatures(grantee: iam.IGrantable): void {
    iam.Grant.addToPrincipal({ grantee, actions: ['sagemaker:GetRecord', 'sagemaker:BatchGetRecord'], resourceArns: [this.featureGroupArn] });
    this.key.grantDecrypt(grantee);
  }

  grantInvokeModel(grantee: iam.IGrantable): void {
    iam.Grant.addToPrincipal({ grantee, actions: ['sagemaker:InvokeEndpoint'], resourceArns: [this.endpointArn] });
  }
}

/** SageMaker serverless inference rejects models with network isolation. */
export function supportsNetworkIsolation(capacity: EndpointCapacity): boolean {
  return capacity.kind === 'instances';
}

/**
 * The SageMaker scikit-learn container serves `/ping` and `/invocations` only after it loaded the
 * user script: SAGEMAKER_PROGRAM names it, SAGEMAKER_SUBMIT_DIRECTORY is where it is. The artifact
 * carries it under `code/`, which SageMaker unpacks to /opt/ml/model/code (no S3 access needed, so
 * it works with network isolation). https://sagemaker.readthedocs.io/en/stable/frameworks/sklearn/using_sklearn.html
 */
export function sklearnContainerEnvironment(entryPoint: string): Record<string, string> {
  return {
    SAGEMAKER_PROGRAM: entryPoint,
    SAGEMAKER_SUBMIT_DIRECTORY: '/opt/ml/model/code',
    SAGEMAKER_CONTAINER_LOG_LEVEL: '20',
  };
}

function endpointCapacity(capacity: EndpointCapacity, modelName: string, key: kms.IKey): sagemaker.CfnEndpointConfigProps {
  const variant = { variantName: 'primary', modelName, initialVariantWeight: 1 };
  switch (capacity.kind) {
    case 'serverless':
      // Serverless variants have no ML storage volume to encrypt, so KmsKeyId is not accepted.
      return { productionVariants: [{ ...variant, serverlessConfig: { memorySizeInMb: capacity.memorySizeMiB, maxConcurrency: capacity.maxConcurrency } }] };
    case 'instances':
      return {
        kmsKeyId: key.keyArn,
        productionVariants: [{ ...variant, instanceType: capacity.instanceType, initialInstanceCount: capacity.instanceCount }],
      };
  }
}

/** `<account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag>` → the repository's ARN. */
export function parseEcrImage(uri: string): { repositoryArn: string } {
  const match = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com\/([^:@]+)[:@].+$/.exec(uri);
  if (!match) throw new Error(`ml.modelImageUri "${uri}" is not an ECR image URI (<account>.dkr.ecr.<region>.amazonaws.com/<repo>:<tag>)`);
  const [, account, region, repository] = match;
  return { repositoryArn: `arn:aws:ecr:${region}:${account}:repository/${repository}` };
}

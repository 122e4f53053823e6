import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct } from 'constructs';
import { ResourceNames } from '@plant/config';
import { EndpointCapacity, PlatformConfig } from '../config/platform-config';
import { FEATURE_GROUPS, FeatureGroupDefinition, LAKE_PREFIXES } from '@plant/config';

export interface MlPlatformProps {
  config: PlatformConfig;
  key: kms.IKey;
  lake: s3.IBucket;
}

/**
 * The feature groups of feature-groups.ts (online for the ml-subgraph, offline in the lake for
 * training) and the failure-risk model behind a SageMaker endpoint.
 */
export class MlPlatform extends Construct {
  /** One CfnFeatureGroup per definition, by feature group name. */
  readonly featureGroups: Record<string, sagemaker.CfnFeatureGroup> = {};
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

    for (const group of FEATURE_GROUPS) {
      const featureGroup = new sagemaker.CfnFeatureGroup(this, `FeatureGroup${constructIdOf(group)}`, {
        featureGroupName: group.name,
        description: group.description,
        recordIdentifierFeatureName: group.recordIdentifierFeatureName,
        eventTimeFeatureName: group.eventTimeFeatureName,
        featureDefinitions: group.features.map((feature) => ({ featureName: feature.name, featureType: feature.type })),
        // These two properties are passed to CloudFormation as written (untyped JSON): PascalCase keys.
        // TtlDuration: the store drops a record after the group's retention (feature-groups.ts says why it exceeds the TTL).
        onlineStoreConfig: { EnableOnlineStore: true, SecurityConfig: { KmsKeyId: key.keyArn }, TtlDuration: ttlDuration(group) },
        offlineStoreConfig: {
          S3StorageConfig: { S3Uri: `s3://${lake.bucketName}/${LAKE_PREFIXES.featureStore}`, KmsKeyId: key.keyArn },
          // The catalogued offline tables are in the features/ zone (lake-schema.ts FEATURE_TABLES); this is the archive.
          DisableGlueTableCreation: true,
        },
        roleArn: featureStoreRole.roleArn,
      });
      featureGroup.node.addDependency(featureStoreRole);
      this.featureGroups[group.name] = featureGroup;
    }

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

  get featureGroupArns(): string[] {
    return FEATURE_GROUPS.map((group) => Stack.of(this).formatArn({ service: 'sagemaker', resource: 'feature-group', resourceName: group.name }));
  }

  get endpointArn(): string {
    return Stack.of(this).formatArn({ service: 'sagemaker', resource: 'endpoint', resourceName: ResourceNames.modelEndpoint });
  }

  /** Online feature reads; the online store is encrypted with the platform key. */
  grantReadFeatures(grantee: iam.IGrantable): void {
    iam.Grant.addToPrincipal({ grantee, actions: ['sagemaker:GetRecord', 'sagemaker:BatchGetRecord'], resourceArns: this.featureGroupArns });
    this.key.grantDecrypt(grantee);
  }

  /** Online feature writes (the stream-writer's feature sink); the online store is encrypted with the platform key. */
  grantWriteFeatures(grantee: iam.IGrantable): void {
    iam.Grant.addToPrincipal({ grantee, actions: ['sagemaker:PutRecord'], resourceArns: this.featureGroupArns });
    this.key.grantEncryptDecrypt(grantee);
  }

  grantInvokeModel(grantee: iam.IGrantable): void {
    iam.Grant.addToPrincipal({ grantee, actions: ['sagemaker:InvokeEndpoint'], resourceArns: [this.endpointArn] });
  }
}

/** `asset-health` → `AssetHealth` (construct ids stay stable per group). */
const constructIdOf = (group: FeatureGroupDefinition): string =>
  group.name.split('-').map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('');

/** The online store's TtlDuration is the group's retention (not its freshness TTL); whole Hours when they fit, else Minutes. */
export function ttlDuration(group: FeatureGroupDefinition): { Unit: 'Hours' | 'Minutes'; Value: number } {
  const seconds = group.retentionSeconds;
  return seconds % 3600 === 0 ? { Unit: 'Hours', Value: seconds / 3600 } : { Unit: 'Minutes', Value: Math.ceil(seconds / 60) };
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

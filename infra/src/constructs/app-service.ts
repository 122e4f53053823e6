import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { PlatformConfig, AppName } from '../config/platform-config';

export interface AppServiceProps {
  config: PlatformConfig;
  appName: AppName;
  port: number;
  cluster: ecs.ICluster;
  image: ecs.ContainerImage;
  environment: Record<string, string>;
  secrets?: Record<string, ecs.Secret>;
}

/**
 * One app of the monorepo as a Fargate service: all apps share one image (the root Dockerfile) and
 * differ by the entry file they run. Registered in Cloud Map as `<app>`.
 */
export class AppService extends Construct {
  readonly service: ecs.FargateService;
  readonly taskRole: iam.IRole;
  readonly logGroup: logs.LogGroup;
  readonly scaling: ecs.ScalableTaskCount;
  readonly port: number;

  constructor(scope: Construct, id: string, props: AppServiceProps) {
    super(scope, id);
    const { config, appName } = props;
    const sizing = config.services.apps[appName];
    this.port = props.port;

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `/plant/${config.envName}/${appName}`,
      retention: config.services.logRetention,
      removalPolicy: config.removalPolicy,
    });
    const taskDefinition = new ecs.FargateTaskDefinition(this, 'Task', {
      family: `plant-${config.envName}-${appName}`,
      cpu: sizing.cpu,
      memoryLimitMiB: sizing.memoryMiB,
    });
    this.taskRole = taskDefinition.taskRole;
    taskDefinition.addContainer('app', {
      containerName: appName,
      image: props.image,
      command: ['node', '-r', '@swc-node/register', `apps/${appName}/src/main.ts`],
      environment: props.environment,
      secrets: props.secrets,
      portMappings: [{ containerPort: props.port, name: appName }],
      logging: ecs.LogDrivers.awsLogs({ streamPrefix: appName, logGroup: this.logGroup }),
      // On SIGTERM the stream-writer checkpoints and releases its leases, and subgraphs close sockets.
      stopTimeout: Duration.seconds(60),
    });

    this.service = new ecs.FargateService(this, 'Service', {
      serviceName: appName,
      cluster: props.cluster,
      taskDefinition,
      desiredCount: sizing.minTasks,
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      circuitBreaker: { rollback: true },
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      assignPublicIp: false,
      cloudMapOptions: { name: appName },
    });
    this.scaling = this.service.autoScaleTaskCount({ minCapacity: sizing.minTasks, maxCapacity: sizing.maxTasks });
    this.scaling.scaleOnCpuUtilization('Cpu', { targetUtilizationPercent: sizing.cpuTargetPercent });
  }
}

import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { PlatformConfig } from '../config/platform-config';

export interface NetworkProps {
  config: PlatformConfig;
}

/** The services' VPC: public subnets for the ALB and NAT, private ones for tasks; flow logs on. */
export class Network extends Construct {
  readonly vpc: ec2.Vpc;

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    const { services, removalPolicy } = props.config;
    const flowLogs = new logs.LogGroup(this, 'FlowLogs', { retention: services.logRetention, removalPolicy });
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      availabilityZones: services.availabilityZones,
      natGateways: services.natGateways,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        { name: 'private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 22 },
      ],
      flowLogs: { all: { destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogs), trafficType: ec2.FlowLogTrafficType.ALL } },
      // S3 and DynamoDB traffic (lake, KPI table) stays off the NAT gateways: cheaper and private.
      gatewayEndpoints: {
        S3: { service: ec2.GatewayVpcEndpointAwsService.S3 },
        DynamoDB: { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB },
      },
    });
  }
}

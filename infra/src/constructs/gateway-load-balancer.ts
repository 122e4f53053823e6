import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { PlatformConfig } from '../config/platform-config';
import { AppService } from './app-service';

/**
 * What the ALB probes: liveness only. `/health` is readiness and fails when any subgraph is down,
 * which would take every gateway task out of the target group at once.
 */
export const GATEWAY_HEALTH_CHECK_PATH = '/health/live';

export interface GatewayLoadBalancerProps {
  config: PlatformConfig;
  vpc: ec2.IVpc;
  gateway: AppService;
  accessLogs: s3.IBucket;
}

/**
 * The public ALB in front of the gateway: HTTPS with the environment's certificate (HTTP only where
 * the config allows it), access logs, liveness health checks, and gateway tasks scaled on requests.
 */
export class GatewayLoadBalancer extends Construct {
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly gatewayTargets: elbv2.ApplicationTargetGroup;

  constructor(scope: Construct, id: string, props: GatewayLoadBalancerProps) {
    super(scope, id);
    const { config, gateway } = props;
    // 'Default': CDK leaves the id out of logical ids, so the ALB keeps the one it had as Services/Alb.
    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'Default', {
      loadBalancerName: `plant-${config.envName}-gateway`,
      vpc: props.vpc,
      internetFacing: true,
      // graphql-ws sockets idle between events; the default 60 s would cut quiet subscriptions.
      idleTimeout: config.services.albIdleTimeout,
      dropInvalidHeaderFields: true,
    });
    this.loadBalancer.logAccessLogs(props.accessLogs, 'alb');
    const listener = this.gatewayListener(config);
    this.gatewayTargets = listener.addTargets('Gateway', {
      port: gateway.port,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targets: [gateway.service],
      healthCheck: { path: GATEWAY_HEALTH_CHECK_PATH, healthyHttpCodes: '200', interval: Duration.seconds(15) },
      deregistrationDelay: Duration.seconds(30),
    });
    gateway.scaling.scaleOnRequestCount('Requests', {
      requestsPerTarget: config.services.gatewayRequestsPerTarget,
      targetGroup: this.gatewayTargets,
    });
  }

  /**
   * HTTPS with the certificate (port 80 only redirects). Plain HTTP only where the config allows it
   * (dev); platformConfigFor already refuses a prod config without a certificate, this guards reuse.
   */
  private gatewayListener(config: PlatformConfig): elbv2.ApplicationListener {
    const { certificateArn, requireTls } = config.services;
    if (!certificateArn) {
      if (requireTls) throw new Error(`${config.envName} requires TLS: set services.certificateArn (-c certificateArn=…)`);
      return this.loadBalancer.addListener('Http', { port: 80, protocol: elbv2.ApplicationProtocol.HTTP });
    }
    this.loadBalancer.addRedirect({ sourcePort: 80, targetPort: 443 });
    return this.loadBalancer.addListener('Https', {
      port: 443,
      protocol: elbv2.ApplicationProtocol.HTTPS,
      certificates: [elbv2.ListenerCertificate.fromArn(certificateArn)],
      sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
    });
  }
}

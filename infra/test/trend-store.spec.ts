import { EnvNames } from '@plant/config';
import { platformConfigFor } from '../src/config/environments';
import { INFLUXDB_PORT } from '../src/constructs/influx-trend-store';
import { actionsOfRole, resourceOf, statementsOfRole, SynthesisedPlatform, synthPlatform } from './synth-platform';

/**
 * The trend store a new account can create (issue 13, item 1): Timestream for InfluxDB by default,
 * Timestream for LiveAnalytics only when an account that has it selects it.
 */
describe('trend store', () => {
  let dev: SynthesisedPlatform;
  let prod: SynthesisedPlatform;
  let live: SynthesisedPlatform;
  beforeAll(() => {
    dev = synthPlatform('dev');
    prod = synthPlatform('prod');
    live = synthPlatform('prod', { trendStore: 'timestream-liveanalytics' });
  });

  it('creates no resource of the closed Timestream for LiveAnalytics in any stack by default', () => {
    for (const platform of [dev, prod]) {
      for (const template of [platform.data, platform.analytics, platform.ml, platform.services]) {
        expect(Object.keys(template.findResources('AWS::Timestream::Database'))).toEqual([]);
        expect(Object.keys(template.findResources('AWS::Timestream::Table'))).toEqual([]);
      }
    }
  });

  it('runs one private InfluxDB instance in the services\' private subnets, with a standby in prod', () => {
    const instanceOf = (platform: SynthesisedPlatform) => resourceOf(platform.services, 'AWS::Timestream::InfluxDBInstance', 'ServicesTrendStore').properties;
    expect(instanceOf(dev)).toMatchObject({ DbInstanceType: 'db.influx.medium', AllocatedStorage: 20, DeploymentType: 'SINGLE_AZ', PubliclyAccessible: false, Port: INFLUXDB_PORT });
    expect(instanceOf(prod)).toMatchObject({ DbInstanceType: 'db.influx.large', DeploymentType: 'WITH_MULTIAZ_STANDBY', PubliclyAccessible: false });
    const subnets = JSON.stringify(instanceOf(prod).VpcSubnetIds);
    expect(subnets).toContain('privateSubnet');
    expect(subnets).not.toContain('publicSubnet');
    expect(instanceOf(prod).VpcSubnetIds).toHaveLength(3);
    prod.services.hasResource('AWS::Timestream::InfluxDBInstance', { DeletionPolicy: 'Retain' });
  });

  it('passes the admin password by Secrets Manager reference, never as text in the template', () => {
    const password = JSON.stringify(resourceOf(dev.services, 'AWS::Timestream::InfluxDBInstance', 'ServicesTrendStore').properties.Password);
    expect(password).toMatch(/\{\{resolve:secretsmanager:/);
    expect(password).toContain('ServicesTrendStoreAdminSecret');
  });

  it('opens the InfluxDB port to the stream-writer and the history-subgraph only', () => {
    const ingress = Object.values(dev.services.findResources('AWS::EC2::SecurityGroupIngress'))
      .map((r) => r.Properties)
      .filter((r) => JSON.stringify(r.GroupId).includes('ServicesTrendStoreSecurityGroup'));
    expect(ingress.map((r) => r.FromPort)).toEqual([INFLUXDB_PORT, INFLUXDB_PORT]);
    const sources = ingress.map((r) => JSON.stringify(r.SourceSecurityGroupId));
    expect(sources.some((s) => s.includes('ServicesStreamWriterService'))).toBe(true);
    expect(sources.some((s) => s.includes('ServicesHistorySubgraphService'))).toBe(true);
    expect(ingress.some((r) => r.CidrIp !== undefined)).toBe(false);
  });

  it('points the stream-writer and the history-subgraph at InfluxDB over TLS, the token as an ECS secret, and grants no Timestream action', () => {
    for (const [app, uses] of [['StreamWriter', true], ['HistorySubgraph', true], ['KpiSubgraph', false], ['MlSubgraph', false], ['Gateway', false]] as const) {
      const container = resourceOf(dev.services, 'AWS::ECS::TaskDefinition', `Services${app}Task`).properties.ContainerDefinitions[0];
      const env = Object.fromEntries((container.Environment as { Name: string; Value: unknown }[]).map((e) => [e.Name, e.Value]));
      const secrets = ((container.Secrets ?? []) as { Name: string; ValueFrom: unknown }[]).filter((x) => x.Name === EnvNames.INFLUXDB_TOKEN);
      expect({ app, store: env[EnvNames.TREND_STORE], token: secrets.length }).toEqual({ app, store: uses ? 'influxdb' : undefined, token: uses ? 1 : 0 });
      if (uses) {
        expect(JSON.stringify(env[EnvNames.INFLUXDB_URL])).toMatch(/https:\/\/.*ServicesTrendStoreInstance.*Endpoint.*:8086/);
        expect(JSON.stringify(secrets[0].ValueFrom)).toContain('ServicesTrendStoreTokenSecret');
      }
      const statements = statementsOfRole(dev.services, `Services${app}TaskTaskRole`);
      expect(statements.some((s) => JSON.stringify(s.Resource).includes('ServicesTrendStoreTokenSecret'))).toBe(false);
      expect(actionsOfRole(dev.services, `Services${app}TaskTaskRole`).filter((a) => a.startsWith('timestream:'))).toEqual([]);
    }
  });

  it('keeps LiveAnalytics for an account that selects it: its table in the data stack, no InfluxDB instance', () => {
    live.data.resourceCountIs('AWS::Timestream::Table', 1);
    live.services.resourceCountIs('AWS::Timestream::InfluxDBInstance', 0);
    expect(actionsOfRole(live.services, 'ServicesStreamWriterTaskTaskRole')).toContain('timestream:WriteRecords');
    const writer = resourceOf(live.services, 'AWS::ECS::TaskDefinition', 'ServicesStreamWriterTask').properties.ContainerDefinitions[0];
    expect(writer.Environment).toContainEqual({ Name: EnvNames.TREND_STORE, Value: 'timestream' });
  });

  it('refuses a trend store it does not know', () => {
    expect(() => platformConfigFor('dev', { trendStore: 'influx' })).toThrow(/hotPath.trendStore "influx" must be one of: timestream-influxdb, timestream-liveanalytics/);
  });
});

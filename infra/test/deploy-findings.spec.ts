import * as fs from 'node:fs';
import { builtinModules } from 'node:module';
import * as path from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { GLUE_DEFAULT_DATABASE } from '../src/constructs/etl-pipeline';
import { REWRITTEN_ZONES } from '../src/constructs/lake-buckets';
import { GATEWAY_HEALTH_CHECK_PATH } from '../src/constructs/services';
import { resourceOf, statementsOfRole, SynthesisedPlatform, synthPlatform } from './synth-platform';

/**
 * One assertion per fault a first deployment on a new account would have met (issue 13): each
 * fails on the templates as they were before the fix.
 */
type Resources = Record<string, { Type: string; Properties?: Record<string, any>; DependsOn?: string[] }>;
const REPO = path.resolve(__dirname, '../..');
const APPS = ['gateway', 'kpi-subgraph', 'history-subgraph', 'ml-subgraph', 'stream-writer'];

/** Every .ts file under a folder, tests excluded (the image leaves them out). */
function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'test' || entry.name === 'node_modules' ? [] : sources(full);
    return entry.name.endsWith('.ts') && !/\.(spec|int-spec|e2e-spec|bench)\.ts$/.test(entry.name) ? [full] : [];
  });
}

/** The npm packages a file loads at run time (type-only imports are erased by swc). */
function runtimePackages(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const specifiers = [
    ...[...text.matchAll(/^\s*(?:import|export)\s+(?!type\s)[^;]*?from\s+'([^']+)'/gm)].map((m) => m[1]),
    ...[...text.matchAll(/^\s*import\s+'([^']+)'/gm)].map((m) => m[1]),
    ...[...text.matchAll(/(?:require|import)\(\s*'([^']+)'\s*\)/g)].map((m) => m[1]),
  ];
  return specifiers
    .filter((s) => !s.startsWith('.') && !s.startsWith('@plant/') && !s.startsWith('node:') && !builtinModules.includes(s.split('/')[0]))
    .map((s) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]));
}
const resourcesOf = (template: Template) => (template.toJSON() as { Resources: Resources }).Resources;

/** A CloudFormation value as text, intrinsic functions as `${…}`, so ARNs can be read. */
function render(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(render).join(',');
  if (value && typeof value === 'object') {
    const [fn, args] = Object.entries(value as Record<string, unknown>)[0];
    if (fn === 'Fn::Join') return (args as [string, unknown[]])[1].map(render).join((args as [string])[0]);
    return `\${${fn}:${JSON.stringify(args)}}`;
  }
  return String(value);
}

describe('deploy-time findings on a new account', () => {
  let dev: SynthesisedPlatform;
  let prod: SynthesisedPlatform;
  beforeAll(() => {
    dev = synthPlatform('dev');
    prod = synthPlatform('prod', { partnerPlantIds: ['plant-1'] });
  });

  describe('Lake Formation', () => {
    it.each(['analytics', 'services'] as const)('creates the %s stack\'s Lake Formation grants one after another, never in parallel', (stack) => {
      for (const platform of [dev, prod]) {
        const resources = resourcesOf(platform[stack]);
        const changes = Object.keys(resources).filter(
          (id) => resources[id].Type.startsWith('AWS::LakeFormation::') && resources[id].Type !== 'AWS::LakeFormation::DataLakeSettings',
        );
        expect(changes.length).toBeGreaterThan(1);
        // A single chain: taking, step by step, the changes whose dependencies are all placed must
        // offer exactly one candidate each time (two would be created in parallel).
        const predecessors = new Map(changes.map((id) => [id, (resources[id].DependsOn ?? []).filter((d) => changes.includes(d))]));
        const ordered: string[] = [];
        while (ordered.length < changes.length) {
          const ready = changes.filter((id) => !ordered.includes(id) && predecessors.get(id)!.every((d) => ordered.includes(d)));
          expect({ after: ordered[ordered.length - 1], ready }).toEqual({ after: ordered[ordered.length - 1], ready: [ready[0]] });
          ordered.push(ready[0]);
        }
        expect(ordered.sort()).toEqual([...changes].sort());
      }
    });

    it('creates the Glue database only after the settings that remove IAMAllowedPrincipals defaults', () => {
      const settings = resourceOf(dev.analytics, 'AWS::LakeFormation::DataLakeSettings', 'GovernanceSettings');
      const database = resourceOf(dev.analytics, 'AWS::Glue::Database', 'LakeCatalogDatabase');
      expect(resourcesOf(dev.analytics)[database.id].DependsOn).toContain(settings.id);
      expect(database.properties.DatabaseInput.CreateTableDefaultPermissions).toEqual([]);
      expect(settings.properties).toMatchObject({ CreateDatabaseDefaultPermissions: [], CreateTableDefaultPermissions: [] });
    });
  });

  describe('Glue ETL', () => {
    it('lets the job role read and, in a fresh account, create the default database Spark checks at start', () => {
      const statements = statementsOfRole(dev.analytics, 'EtlPipelineJobRole');
      const onDefault = statements.filter((s) => render(s.Resource).includes(`:database/${GLUE_DEFAULT_DATABASE}`));
      expect(onDefault.flatMap((s) => s.Action)).toEqual(expect.arrayContaining(['glue:GetDatabase', 'glue:CreateDatabase']));
      const role = resourceOf(dev.analytics, 'AWS::IAM::Role', 'EtlPipelineJobRole');
      const grant = resourceOf(dev.analytics, 'AWS::LakeFormation::PrincipalPermissions', 'GovernanceEtlCreatesDefaultDatabase');
      expect(grant.properties).toMatchObject({
        Principal: { DataLakePrincipalIdentifier: { 'Fn::GetAtt': [role.id, 'Arn'] } },
        Resource: { Catalog: {} },
        Permissions: ['CREATE_DATABASE'],
      });
    });
  });

  describe('ALB and TLS', () => {
    it('health-checks the gateway on its liveness path, so one subgraph down does not empty the target group', () => {
      expect(GATEWAY_HEALTH_CHECK_PATH).toBe('/health/live');
      for (const platform of [dev, prod]) {
        const group = resourceOf(platform.services, 'AWS::ElasticLoadBalancingV2::TargetGroup', 'ServicesAlb');
        expect(group.properties.HealthCheckPath).toBe('/health/live');
      }
    });

    it('serves prod over HTTPS only: every plain HTTP listener just redirects to 443', () => {
      const listeners = Object.values(prod.services.findResources('AWS::ElasticLoadBalancingV2::Listener')).map((l) => l.Properties);
      expect(listeners.some((l) => l.Protocol === 'HTTPS' && l.Port === 443)).toBe(true);
      for (const listener of listeners.filter((l) => l.Protocol === 'HTTP')) {
        expect(listener.DefaultActions).toEqual([expect.objectContaining({ Type: 'redirect', RedirectConfig: expect.objectContaining({ Protocol: 'HTTPS' }) })]);
      }
    });
  });

  describe('alerts', () => {
    it('targets the alert log group by an ARN without the trailing :* (which deploys but delivers nothing)', () => {
      const rule = resourceOf(dev.data, 'AWS::Events::Rule', 'AlertingLogEveryAlert');
      const arn = render(rule.properties.Targets[0].Arn);
      expect(arn).toMatch(/:log-group:\/aws\/events\/plant-alerts$/);
      expect(arn.endsWith(':*')).toBe(false);
    });
  });

  describe('network', () => {
    it('spreads prod over three availability zones and dev over two, even when the stacks are account-agnostic', () => {
      const zonesOf = (platform: SynthesisedPlatform) =>
        new Set(Object.values(platform.services.findResources('AWS::EC2::Subnet')).map((s) => s.Properties.AvailabilityZone as string));
      expect([...zonesOf(prod)].sort()).toEqual(['eu-central-1a', 'eu-central-1b', 'eu-central-1c']);
      expect(zonesOf(dev).size).toBe(2);
      prod.services.resourceCountIs('AWS::EC2::NatGateway', 3);
      expect(prod.config.account).toBeUndefined();
    });
  });

  describe('lake bucket', () => {
    it('expires the noncurrent versions the hourly ETL rewrites leave in curated, refined and features after a day', () => {
      const rules: Record<string, any>[] = resourceOf(dev.data, 'AWS::S3::Bucket', 'LakeBucketsLake').properties.LifecycleConfiguration.Rules;
      for (const zone of REWRITTEN_ZONES) {
        const rule = rules.find((r) => r.Prefix === `${zone}/` && r.NoncurrentVersionExpiration);
        expect(rule).toMatchObject({ Status: 'Enabled', NoncurrentVersionExpiration: { NoncurrentDays: 1 }, ExpiredObjectDeleteMarker: true });
      }
      expect(rules).toContainEqual(expect.objectContaining({ Id: 'expire-old-versions', NoncurrentVersionExpiration: { NoncurrentDays: 30 } }));
    });
  });

  describe('SageMaker', () => {
    it('never combines network isolation with a serverless variant', () => {
      for (const platform of [dev, prod]) {
        const model = resourceOf(platform.ml, 'AWS::SageMaker::Model', 'MlPlatformFailureRiskModel');
        const config = resourceOf(platform.ml, 'AWS::SageMaker::EndpointConfig', 'MlPlatformFailureRiskEndpointConfig');
        const serverless = config.properties.ProductionVariants.some((v: Record<string, unknown>) => v.ServerlessConfig);
        expect({ env: platform.config.envName, serverless, isolated: model.properties.EnableNetworkIsolation }).toEqual({
          env: platform.config.envName,
          serverless: platform.config.envName === 'dev',
          isolated: platform.config.envName !== 'dev',
        });
      }
    });

    it('tells the scikit-learn container which script serves the model, so /ping answers', () => {
      for (const platform of [dev, prod]) {
        const model = resourceOf(platform.ml, 'AWS::SageMaker::Model', 'MlPlatformFailureRiskModel');
        expect(model.properties.PrimaryContainer.Environment).toMatchObject({
          SAGEMAKER_PROGRAM: 'inference.py',
          SAGEMAKER_SUBMIT_DIRECTORY: '/opt/ml/model/code',
        });
      }
    });
  });

  describe('image', () => {
    it('builds the services\' image from the repository Dockerfile as a CDK asset, staged without Docker', () => {
      const container = resourceOf(dev.services, 'AWS::ECS::TaskDefinition', 'ServicesGatewayTask').properties.ContainerDefinitions[0];
      const image = render(container.Image);
      expect(image).toContain('container-assets');
      expect(image).not.toContain(':latest');
      const manifest = JSON.parse(fs.readFileSync(path.join(dev.app.outdir, `${dev.stacks.services.artifactId}.assets.json`), 'utf8'));
      const images = Object.values(manifest.dockerImages) as { source: { directory: string; platform?: string } }[];
      expect(images).toHaveLength(1);
      expect(images[0].source.platform).toBe('linux/amd64');
      const staged = path.join(dev.app.outdir, images[0].source.directory);
      for (const file of ['Dockerfile', 'package.json', 'package-lock.json', 'tsconfig.json', 'apps/gateway/src/main.ts', 'apps/gateway/supergraph.graphql', 'libs/config/src/env-names.ts'])
        expect(fs.existsSync(path.join(staged, file))).toBe(true);
      // Only what the image needs: no dependencies, tests, infra or tools in the build context.
      for (const absent of ['node_modules', 'infra', 'tools', 'apps/gateway/test', 'README.md']) expect(fs.existsSync(path.join(staged, absent))).toBe(false);
    });

    it('ships every app entry file in the build context', () => {
      const manifest = JSON.parse(fs.readFileSync(path.join(dev.app.outdir, `${dev.stacks.services.artifactId}.assets.json`), 'utf8'));
      const [image] = Object.values(manifest.dockerImages) as { source: { directory: string } }[];
      for (const app of APPS) expect(fs.existsSync(path.join(dev.app.outdir, image.source.directory, `apps/${app}/src/main.ts`))).toBe(true);
    });

    it('loads at run time only packages npm ci --omit=dev installs, so the Dockerfile\'s install is enough', () => {
      // What --omit=dev leaves out: lockfile entries marked dev (or devOptional), and nothing else.
      const lock = JSON.parse(fs.readFileSync(path.join(REPO, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean; devOptional?: boolean }> };
      const installed = (pkg: string) => {
        const entry = lock.packages[`node_modules/${pkg}`];
        return entry !== undefined && !entry.dev && !entry.devOptional;
      };
      const files = [...fs.readdirSync(path.join(REPO, 'apps')), ...fs.readdirSync(path.join(REPO, 'libs')).map((lib) => `../libs/${lib}`)].flatMap((dir) =>
        sources(path.join(REPO, 'apps', dir, 'src')),
      );
      expect(files.length).toBeGreaterThan(50);
      expect([...new Set(files.flatMap(runtimePackages))].filter((pkg) => !installed(pkg))).toEqual([]);
      // TypeScript runs through @swc-node/register, which loads typescript (its peer) at run time.
      for (const pkg of ['@swc-node/register', '@swc/core', 'typescript']) expect({ pkg, installed: installed(pkg) }).toEqual({ pkg, installed: true });
      expect(installed('jest')).toBe(false);
      const dockerfile = fs.readFileSync(path.join(REPO, 'Dockerfile'), 'utf8');
      expect(dockerfile).toMatch(/npm ci --omit=dev/);
      expect(dockerfile).toMatch(/CMD \["node", "-r", "@swc-node\/register", "apps\/gateway\/src\/main\.ts"\]/);
    });

    it('pins an image CI pushed by its tag when -c imageTag is given', () => {
      const tagged = synthPlatform('prod', { imageTag: 'git-3f2a9c1' });
      const container = resourceOf(tagged.services, 'AWS::ECS::TaskDefinition', 'ServicesGatewayTask').properties.ContainerDefinitions[0];
      expect(render(container.Image)).toMatch(/\/plant-platform:git-3f2a9c1$/);
    });
  });
});

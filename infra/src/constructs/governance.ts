import { Aws, Fn } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lakeformation from 'aws-cdk-lib/aws-lakeformation';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct, IDependable } from 'constructs';
import { ResourceNames } from '@plant/config';
import { PlatformConfig } from '../config/platform-config';
import { CURATED_PLANT_EVENTS, FEATURE_TABLES, LAKE_ZONES, LakeTable, RAW_PLANT_EVENTS, REFINED_ASSET_KPIS } from '@plant/config';
import { LakeCatalog } from './lake-catalog';
import { LakeGrant } from './lake-permissions';

/** The refined zone's tables: what analysts read. */
export const REFINED_TABLES: readonly LakeTable[] = [REFINED_ASSET_KPIS];
/** The data cells filter partners read refined KPIs through. */
export const PARTNER_FILTER_NAME = 'partner_plants';

export interface GovernanceProps {
  config: PlatformConfig;
  lake: s3.IBucket;
  catalog: LakeCatalog;
  etlRole: iam.IRole;
}

/**
 * Lake Formation: who administers the lake, which S3 locations it governs, and what each role may
 * read. analyst → refined; data_scientist → refined + features; partner → refined KPIs of its
 * plants only (a data cells filter); the ETL role writes the zones it produces.
 */
export class Governance extends Construct {
  readonly settings: lakeformation.CfnDataLakeSettings;
  readonly analystRole: iam.Role;
  readonly dataScientistRole: iam.Role;
  readonly partnerRole: iam.Role;
  /** The ETL role may create the `default` database Spark's catalog client needs (see below). */
  readonly etlCreatesDefaultDatabase: lakeformation.CfnPrincipalPermissions;
  /** Grants of later stacks wait for these: the tables exist and CloudFormation is an admin. */
  readonly grantPrerequisites: IDependable[];

  constructor(scope: Construct, id: string, props: GovernanceProps) {
    super(scope, id);
    const { config, lake, catalog } = props;
    const roleArn = (name: string) => `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/${name}`;
    // The CDK deployment role must stay an admin, or the grants below cannot be created or changed.
    const cdkExecutionRole = Fn.sub('arn:${AWS::Partition}:iam::${AWS::AccountId}:role/cdk-hnb659fds-cfn-exec-role-${AWS::AccountId}-${AWS::Region}');
    this.settings = new lakeformation.CfnDataLakeSettings(this, 'Settings', {
      admins: [cdkExecutionRole, ...config.governance.lakeAdminRoleNames.map(roleArn)].map((arn) => ({ dataLakePrincipalIdentifier: arn })),
      // No IAMAllowedPrincipals defaults: new tables are governed by Lake Formation grants only.
      createDatabaseDefaultPermissions: [],
      createTableDefaultPermissions: [],
      mutationType: 'APPEND',
    });
    this.grantPrerequisites = [this.settings, catalog.database, ...catalog.tables.values()];

    const registrationRole = new iam.Role(this, 'RegistrationRole', {
      assumedBy: new iam.ServicePrincipal('lakeformation.amazonaws.com'),
      description: 'Lake Formation credential vending for the lake zones',
    });
    for (const zone of LAKE_ZONES) {
      lake.grantReadWrite(registrationRole, `${zone}/*`);
      const location = new lakeformation.CfnResource(this, `Location-${zone}`, {
        resourceArn: `${lake.bucketArn}/${zone}`,
        roleArn: registrationRole.roleArn,
        useServiceLinkedRole: false,
        hybridAccessEnabled: false,
      });
      location.node.addDependency(registrationRole);
      const etlLocation = new lakeformation.CfnPrincipalPermissions(this, `EtlLocation-${zone}`, {
        catalog: Aws.ACCOUNT_ID,
        principal: { dataLakePrincipalIdentifier: props.etlRole.roleArn },
        resource: { dataLocation: { catalogId: Aws.ACCOUNT_ID, resourceArn: location.resourceArn } },
        permissions: ['DATA_LOCATION_ACCESS'],
        permissionsWithGrantOption: [],
      });
      etlLocation.node.addDependency(location, this.settings);
    }
    registrationRole.addToPolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [lake.bucketArn] }));

    // Spark's Glue catalog client reads (or, when missing, creates) the `default` database at start;
    // in a fresh Lake Formation account it does not exist, so the ETL role may create it and then
    // owns it. IAM side: EtlPipeline.
    this.etlCreatesDefaultDatabase = new lakeformation.CfnPrincipalPermissions(this, 'EtlCreatesDefaultDatabase', {
      catalog: Aws.ACCOUNT_ID,
      principal: { dataLakePrincipalIdentifier: props.etlRole.roleArn },
      resource: { catalog: {} },
      permissions: ['CREATE_DATABASE'],
      permissionsWithGrantOption: [],
    });
    this.etlCreatesDefaultDatabase.node.addDependency(this.settings);

    const dependsOn = this.grantPrerequisites;
    new LakeGrant(this, 'EtlReadsRaw', { principalArn: props.etlRole.roleArn, tables: [RAW_PLANT_EVENTS], access: 'read', dependsOn });
    new LakeGrant(this, 'EtlWritesZones', {
      principalArn: props.etlRole.roleArn,
      tables: [CURATED_PLANT_EVENTS, REFINED_ASSET_KPIS, ...FEATURE_TABLES],
      access: 'write',
      dependsOn,
    });

    this.analystRole = this.lakeUserRole(props, 'Analyst', 'analyst', REFINED_TABLES);
    new LakeGrant(this, 'AnalystReadsRefined', { principalArn: this.analystRole.roleArn, tables: REFINED_TABLES, access: 'read', dependsOn });

    const scienceTables = [...REFINED_TABLES, ...FEATURE_TABLES];
    this.dataScientistRole = this.lakeUserRole(props, 'DataScientist', 'data_scientist', scienceTables);
    new LakeGrant(this, 'DataScientistReadsRefinedAndFeatures', {
      principalArn: this.dataScientistRole.roleArn,
      tables: scienceTables,
      access: 'read',
      dependsOn,
    });

    this.partnerRole = this.lakeUserRole(props, 'Partner', 'partner', [REFINED_ASSET_KPIS]);
    if (config.governance.partnerPlantIds.length) this.partnerPlantFilter(config.governance.partnerPlantIds);
  }

  /** A role people assume (through SSO) to query the lake in the Athena work group. */
  private lakeUserRole(props: GovernanceProps, id: string, persona: string, tables: readonly LakeTable[]): iam.Role {
    const role = new iam.Role(this, `${id}Role`, {
      roleName: `plant-${props.config.envName}-${persona.replace('_', '-')}`,
      assumedBy: new iam.AccountPrincipal(Aws.ACCOUNT_ID),
      description: `Lake Formation persona ${persona}`,
    });
    props.catalog.grantAthenaQuery(role, tables);
    return role;
  }

  /** Partners read refined KPIs only for rows of their plants, every column. */
  private partnerPlantFilter(plantIds: readonly string[]): void {
    const filter = new lakeformation.CfnDataCellsFilter(this, 'PartnerPlantsFilter', {
      tableCatalogId: Aws.ACCOUNT_ID,
      databaseName: ResourceNames.glueDatabase,
      tableName: REFINED_ASSET_KPIS.name,
      name: PARTNER_FILTER_NAME,
      // Ids are validated as [A-Za-z0-9_-] in environments.ts, so quoting them is safe.
      rowFilter: { filterExpression: `plant_id IN (${plantIds.map((p) => `'${p}'`).join(', ')})` },
      columnWildcard: { excludedColumnNames: [] },
    });
    filter.node.addDependency(...this.grantPrerequisites);
    const principal = { dataLakePrincipalIdentifier: this.partnerRole.roleArn };
    const database = new lakeformation.CfnPrincipalPermissions(this, 'PartnerDatabase', {
      catalog: Aws.ACCOUNT_ID,
      principal,
      resource: { database: { catalogId: Aws.ACCOUNT_ID, name: ResourceNames.glueDatabase } },
      permissions: ['DESCRIBE'],
      permissionsWithGrantOption: [],
    });
    database.node.addDependency(this.settings);
    const cells = new lakeformation.CfnPrincipalPermissions(this, 'PartnerReadsFilteredKpis', {
      catalog: Aws.ACCOUNT_ID,
      principal,
      resource: {
        dataCellsFilter: { tableCatalogId: Aws.ACCOUNT_ID, databaseName: ResourceNames.glueDatabase, tableName: REFINED_ASSET_KPIS.name, name: PARTNER_FILTER_NAME },
      },
      permissions: ['SELECT'],
      permissionsWithGrantOption: [],
    });
    cells.node.addDependency(filter);
  }
}

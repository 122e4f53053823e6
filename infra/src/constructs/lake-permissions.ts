import { Aws, CfnResource, Stack } from 'aws-cdk-lib';
import * as lakeformation from 'aws-cdk-lib/aws-lakeformation';
import { Construct, IDependable } from 'constructs';
import { ResourceNames } from '@plant/config';
import { LakeTable } from '@plant/config';

/** Lake Formation table permissions by intent; SELECT on a table also needs DESCRIBE to see it. */
export const TABLE_PERMISSIONS = {
  read: ['SELECT', 'DESCRIBE'],
  write: ['SELECT', 'INSERT', 'DELETE', 'ALTER', 'DESCRIBE'],
} as const;

export interface LakeGrantProps {
  principalArn: string;
  tables: readonly LakeTable[];
  access: keyof typeof TABLE_PERMISSIONS;
  /** Resources the grants must wait for (the tables and the admin settings). */
  dependsOn?: IDependable[];
}

/**
 * Lake Formation grants on lake tables, created in `scope`: a stack that owns a principal grants
 * it access itself, so the stack holding the catalog never references roles of later stacks.
 */
export class LakeGrant extends Construct {
  constructor(scope: Construct, id: string, props: LakeGrantProps) {
    super(scope, id);
    const principal = { dataLakePrincipalIdentifier: props.principalArn };
    const grants = [
      new lakeformation.CfnPrincipalPermissions(this, 'Database', {
        catalog: Aws.ACCOUNT_ID,
        principal,
        resource: { database: { catalogId: Aws.ACCOUNT_ID, name: ResourceNames.glueDatabase } },
        permissions: ['DESCRIBE'],
        permissionsWithGrantOption: [],
      }),
      ...props.tables.map(
        (table) =>
          new lakeformation.CfnPrincipalPermissions(this, `Table-${table.name}`, {
            catalog: Aws.ACCOUNT_ID,
            principal,
            resource: { table: { catalogId: Aws.ACCOUNT_ID, databaseName: ResourceNames.glueDatabase, name: table.name } },
            permissions: [...TABLE_PERMISSIONS[props.access]],
            permissionsWithGrantOption: [],
          }),
      ),
    ];
    for (const grant of grants) for (const dependency of props.dependsOn ?? []) grant.node.addDependency(dependency);
  }
}

/**
 * CloudFormation creates independent resources in parallel, and Lake Formation fails concurrent
 * permission changes (ConcurrentModificationException) — with 15+ grants in a stack a first deploy
 * fails at random. Chains every Lake Formation resource of the stack (grants, location
 * registrations, data cells filters; not the settings, which they all wait for) after the one
 * constructed before it. Call once per stack after it is built.
 */
export function serializeLakeFormationChanges(stack: Stack): void {
  const changes = stack.node
    .findAll()
    .filter((node): node is CfnResource => node instanceof CfnResource && node.cfnResourceType.startsWith('AWS::LakeFormation::'))
    .filter((resource) => resource.cfnResourceType !== lakeformation.CfnDataLakeSettings.CFN_RESOURCE_TYPE_NAME);
  for (let i = 1; i < changes.length; i++) changes[i].node.addDependency(changes[i - 1]);
}

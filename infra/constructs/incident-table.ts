// DynamoDB table for incidents and playbooks: single-table keys plus one GSI per history filter (src/adapters/dynamo/table-schema.ts).
import { RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  type CfnTable,
  ProjectionType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import type { IGrantable } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { INDEXES, indexKeys, indexProjection, TABLE_KEYS } from '../../src/adapters/dynamo/table-schema.js';

/** GSI names, shared with the store so the deployed table and the code cannot disagree. */
export const INCIDENT_TABLE_INDEXES = INDEXES.map((i) => i.name);

export class IncidentTable extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    this.table = new Table(this, 'Table', {
      partitionKey: { name: TABLE_KEYS.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE_KEYS.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: TABLE_KEYS.ttlAttribute,
      encryption: TableEncryption.AWS_MANAGED,
      // Incident history outlives the stack: deleting the stack must not delete it.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    for (const name of INCIDENT_TABLE_INDEXES) {
      this.table.addGlobalSecondaryIndex({
        indexName: name,
        partitionKey: { name: indexKeys(name).pk, type: AttributeType.STRING },
        sortKey: { name: indexKeys(name).sk, type: AttributeType.STRING },
        // Keys and the filter attributes only; lists fetch the incidents by key (see table-schema.ts).
        projectionType: ProjectionType.INCLUDE,
        nonKeyAttributes: indexProjection(name),
      });
    }
  }

  /**
   * `grantReadWriteData` plus the cdk-nag acknowledgment it needs: the grant adds `<table>/index/*` so the
   * GSIs can be queried, which AwsSolutions-IAM5 reports as a wildcard on the grantee's policy.
   */
  grantReadWriteData(grantee: IGrantable): void {
    this.table.grantReadWriteData(grantee);
    // The statement lands in the principal's policy (the role), not on the function construct.
    const principal = grantee.grantPrincipal;
    if (!Construct.isConstruct(principal))
      throw new Error('grantReadWriteData needs a principal defined in this app');
    const stack = Stack.of(this);
    const tableLogicalId = stack.resolve(
      stack.getLogicalId(this.table.node.defaultChild as CfnTable),
    ) as string;
    Validations.of(principal).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${tableLogicalId}.Arn>/index/*]`,
      reason:
        'Added by Table.grantReadWriteData so the history API can Query its indexes; the wildcard covers only ' +
        "this table's own indexes, never another table.",
    });
  }
}

import { Aspects, IAspect } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { IConstruct } from 'constructs';

/** The class name of aws-cdk-lib's aspect that adds a cluster's `AWS::ECS::ClusterCapacityProviderAssociations`. */
const ASSOCIATIONS_ASPECT = 'MaybeCreateCapacityProviderAssociations';

/** That aspect, as far as it is read here: the association it created, if any. */
interface AssociationsAspect extends IAspect {
  readonly resource?: ecs.CfnClusterCapacityProviderAssociations;
}

/**
 * Lets `cluster` be synthesized more than once, as `Template.fromStack()` then `Annotations.fromStack()` do.
 *
 * aws-cdk-lib's `ecs.Cluster` adds its capacity provider associations in an aspect that, whenever the cluster has a
 * default capacity provider strategy, creates a `CfnClusterCapacityProviderAssociations` under the same id on every
 * synthesis: the second one fails with "There is already a Construct with name '…'". Once the aspect has created the
 * association, it is skipped here. Nothing else changes: with the association in place the aspect can only throw
 * (the id is taken); the first synthesis runs it untouched, so the template is the same; and the association it
 * made renders the cluster's lists of capacity providers and default strategy, which aws-cdk-lib forbids changing
 * after the first synthesis (the construct tree may not change), so every synthesis gives the same template.
 *
 * @returns whether the aspect was found (a later aws-cdk-lib may rename or fix it; then nothing is done)
 */
export function makeAssociationsIdempotent(cluster: ecs.Cluster): boolean {
  const aspect = Aspects.of(cluster).all
    .find((candidate) => candidate.constructor.name === ASSOCIATIONS_ASPECT) as AssociationsAspect | undefined;
  if (!aspect) return false;
  const visit = aspect.visit.bind(aspect);
  aspect.visit = (node: IConstruct) => {
    const created = aspect.resource;
    if (created && cluster.node.tryFindChild(created.node.id) === created) return;
    visit(node);
  };
  return true;
}

import { Dependable, IConstruct, IDependable } from 'constructs';

/**
 * The resources of `scope`'s subtree other than its primary resource (`node.defaultChild`), for a resource that
 * already refers to that primary resource with `Ref` or `Fn::GetAtt` but must also wait for the rest: a role's
 * policies, or the capacity provider associations that aws-cdk-lib adds to an `ecs.Cluster` at synthesis.
 *
 * `node.addDependency(scope)` would also list the primary resource in `DependsOn`, which the reference already
 * orders: cfn-lint reports that as W3005. The children are read when the app is prepared, after aspects ran, so
 * resources added at synthesis are included.
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-dependson.html
 */
export function restOfSubtree(scope: IConstruct): IDependable {
  const dependable: IDependable = {};
  Dependable.implement(dependable, { get dependencyRoots() { return childrenBesidesPrimary(scope); } });
  return dependable;
}

/**
 * Makes a dependency on `scope` a dependency on the rest of its subtree (`restOfSubtree()`), for every construct that
 * will depend on it: for a role, on its policies. Each such construct refers to the primary resource itself, or
 * depends on a resource that does (a role's policy refers to its role), so the order stays the same, without the
 * redundant `DependsOn` that aws-cdk-lib's `lambda.Function` would otherwise add on its role (cfn-lint W3005).
 */
export function dependOnRestOfSubtree(scope: IConstruct): void {
  Dependable.implement(scope, { get dependencyRoots() { return childrenBesidesPrimary(scope); } });
}

/** The children of `scope` other than its primary resource, as they are when asked. */
function childrenBesidesPrimary(scope: IConstruct): IConstruct[] {
  return scope.node.children.filter((child) => child !== scope.node.defaultChild);
}

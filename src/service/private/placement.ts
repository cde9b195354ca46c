import { Token } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { IConstruct } from 'constructs';
import { clusterQueryExcludesOs } from './cluster-query';
import { validationError } from '../../shared/validate';
import { ServicePlacementConstraint, ServicePlacementStrategy } from '../placement';

/** ECS's limit of placement strategies per service. */
export const MAX_PLACEMENT_STRATEGIES = 5;
/** ECS's limit of placement constraints per service, the OS constraint included. */
export const MAX_PLACEMENT_CONSTRAINTS = 10;

/** A service's placement, checked and in aws-cdk-lib's terms. */
export interface ResolvedPlacement {
  readonly strategies: ecs.PlacementStrategy[];
  /** The OS constraint first, then the user's. */
  readonly constraints: ecs.PlacementConstraint[];
}

/**
 * Checks and renders a service's placement strategies and constraints: 1 to 5 strategies, at most 9 constraints of
 * the user (the OS constraint takes the tenth), `distinctInstance()` at most once, each one valid, and none that
 * excludes the workload's OS (`osType`, `linux` or `windows`).
 */
export function resolvePlacement(scope: IConstruct, osType: string, osConstraint: ecs.PlacementConstraint,
  strategies: ServicePlacementStrategy[], constraints: ServicePlacementConstraint[]): ResolvedPlacement {
  if (strategies.length < 1 || strategies.length > MAX_PLACEMENT_STRATEGIES) {
    validationError(scope, 'placementStrategies', `1 to ${MAX_PLACEMENT_STRATEGIES} strategies (an ECS limit)`, strategies.length);
  }
  const maxConstraints = MAX_PLACEMENT_CONSTRAINTS - 1;
  if (constraints.length > maxConstraints) {
    validationError(scope, 'placementConstraints',
      `at most ${maxConstraints} constraints (ECS allows ${MAX_PLACEMENT_CONSTRAINTS} per service, and the OS constraint takes one)`,
      constraints.length);
  }
  const renderedStrategies = strategies.map((strategy, index) => strategy.bind(scope, `placementStrategies[${index}]`));
  const renderedConstraints = constraints.map((constraint, index) => constraint.bind(scope, `placementConstraints[${index}]`));
  renderedConstraints.forEach((constraint, index) => {
    for (const { type, expression } of constraint.toJson()) {
      if (type !== 'memberOf' || expression === undefined || Token.isUnresolved(expression)) continue;
      if (clusterQueryExcludesOs(expression, osType)) {
        validationError(scope, `placementConstraints[${index}]`, `an expression that a ${osType} instance can meet (the workload runs on `
          + `${osType}, and \`attribute:ecs.os-type\` in this expression excludes it: no task could ever be placed)`, expression);
      }
    }
  });
  const distinct = renderedConstraints
    .map((constraint, index) => ({ index, type: constraint.toJson()[0]?.type }))
    .filter((entry) => entry.type === 'distinctInstance');
  if (distinct.length > 1) {
    validationError(scope, `placementConstraints[${distinct[1].index}]`, 'a constraint other than a second `distinctInstance()` (one already applies to every task)',
      'distinctInstance()');
  }
  return { strategies: renderedStrategies, constraints: [osConstraint, ...renderedConstraints] };
}

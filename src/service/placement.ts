import { Token } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { IConstruct } from 'constructs';
import { clusterQueryProblem } from './private/cluster-query';
import { validationError } from '../shared/validate';

/**
 * How ECS picks, among the instances that may run a task, the one that does: spread tasks evenly over a field,
 * pack them onto as few instances as possible, or pick at random. Strategies apply in order, the first one first.
 *
 * @see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-placement-strategies.html
 * @example
 * import { ServicePlacementStrategy } from 'cdk-ecs-platform';
 *
 * const strategies = [ServicePlacementStrategy.spreadAcrossZones(), ServicePlacementStrategy.binpackCpu()];
 */
export abstract class ServicePlacementStrategy {
  /** Spread tasks evenly across Availability Zones (`spread` on `attribute:ecs.availability-zone`). */
  public static spreadAcrossZones(): ServicePlacementStrategy {
    return new SpreadStrategy(ecs.BuiltInAttributes.AVAILABILITY_ZONE);
  }

  /** Spread tasks evenly across container instances (`spread` on `instanceId`). */
  public static spreadAcrossInstances(): ServicePlacementStrategy {
    return new SpreadStrategy(ecs.BuiltInAttributes.INSTANCE_ID);
  }

  /**
   * Spread tasks evenly across the values of a field.
   *
   * @param field `instanceId`, `host`, or an instance attribute such as `attribute:ecs.instance-type` or a custom
   * `attribute:stack`
   */
  public static spread(field: string): ServicePlacementStrategy {
    return new SpreadStrategy(field);
  }

  /** Pack tasks onto the instances with the least memory left, so fewer instances run (`binpack` on `memory`). */
  public static binpackMemory(): ServicePlacementStrategy {
    return new BinpackStrategy(ecs.BinPackResource.MEMORY);
  }

  /** Pack tasks onto the instances with the least CPU left, so fewer instances run (`binpack` on `cpu`). */
  public static binpackCpu(): ServicePlacementStrategy {
    return new BinpackStrategy(ecs.BinPackResource.CPU);
  }

  /** Place tasks on instances picked at random. */
  public static random(): ServicePlacementStrategy {
    return new RandomStrategy();
  }

  /**
   * The strategy in aws-cdk-lib's terms, after checking it.
   *
   * @param scope the construct that reports a problem
   * @param prop the name of the prop that holds the strategy, for error messages
   */
  public abstract bind(scope: IConstruct, prop: string): ecs.PlacementStrategy;
}

class SpreadStrategy extends ServicePlacementStrategy {
  constructor(private readonly field: string) {
    super();
  }

  public bind(scope: IConstruct, prop: string): ecs.PlacementStrategy {
    if (!Token.isUnresolved(this.field) && !/^(instanceId|host|attribute:[A-Za-z0-9_.\-/\\]{1,128})$/.test(this.field)) {
      validationError(scope, prop, 'a spread over `instanceId`, `host` or an instance attribute such as `attribute:ecs.instance-type`',
        this.field);
    }
    return ecs.PlacementStrategy.spreadAcross(this.field);
  }
}

class BinpackStrategy extends ServicePlacementStrategy {
  constructor(private readonly resource: ecs.BinPackResource) {
    super();
  }

  public bind(): ecs.PlacementStrategy {
    return ecs.PlacementStrategy.packedBy(this.resource);
  }
}

class RandomStrategy extends ServicePlacementStrategy {
  public bind(): ecs.PlacementStrategy {
    return ecs.PlacementStrategy.randomly();
  }
}

/**
 * A rule that an instance must meet to run a task: a distinct instance per task, or membership of a group of
 * instances described in the cluster query language. Every service also keeps its tasks on instances of its
 * operating system; that constraint comes first and is always there.
 *
 * @see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-placement-constraints.html
 * @example
 * import { ServicePlacementConstraint } from 'cdk-ecs-platform';
 *
 * const constraints = [
 *   ServicePlacementConstraint.distinctInstance(),
 *   ServicePlacementConstraint.memberOf('attribute:ecs.instance-type =~ m6i.*'),
 * ];
 */
export abstract class ServicePlacementConstraint {
  /** Run each task of the service on a different container instance. */
  public static distinctInstance(): ServicePlacementConstraint {
    return new DistinctInstanceConstraint();
  }

  /**
   * Run tasks only on the instances that an expression of the cluster query language selects, for example
   * `attribute:ecs.instance-type =~ m6i.*` or `attribute:ecs.availability-zone in [us-east-1a, us-east-1b]`.
   * The expression is checked at synth: subjects, operators, values, lists and parentheses.
   *
   * @see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/cluster-query-language.html
   * @param expression a cluster query expression (at most 2000 characters)
   */
  public static memberOf(expression: string): ServicePlacementConstraint {
    return new MemberOfConstraint(expression);
  }

  /**
   * The constraint in aws-cdk-lib's terms, after checking it.
   *
   * @param scope the construct that reports a problem
   * @param prop the name of the prop that holds the constraint, for error messages
   */
  public abstract bind(scope: IConstruct, prop: string): ecs.PlacementConstraint;
}

class DistinctInstanceConstraint extends ServicePlacementConstraint {
  public bind(): ecs.PlacementConstraint {
    return ecs.PlacementConstraint.distinctInstances();
  }
}

class MemberOfConstraint extends ServicePlacementConstraint {
  constructor(private readonly expression: string) {
    super();
  }

  public bind(scope: IConstruct, prop: string): ecs.PlacementConstraint {
    if (!Token.isUnresolved(this.expression)) {
      const problem = clusterQueryProblem(this.expression);
      if (problem !== undefined) {
        validationError(scope, prop, `a cluster query expression such as \`attribute:ecs.instance-type =~ m6i.*\` (${problem})`,
          this.expression);
      }
    }
    return ecs.PlacementConstraint.memberOf(this.expression);
  }
}

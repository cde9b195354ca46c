import { DeployApp, DeployRule } from './deploy-rule';
import { NO_RUNNING_IMAGE_UNDER_CATCH_ALL } from './ecr-lifecycle';
import { AUTOSCALED_SERVICE_OWNS_NO_COUNT } from './ecs-desired-count';
import { NO_RESERVED_CONCURRENCY } from './lambda';

/** Every deploy rule: deploy-rules.test.ts runs each over every example, valid-platforms.ts over random platforms. */
export const DEPLOY_RULES: DeployRule[] = [
  NO_RESERVED_CONCURRENCY,
  NO_RUNNING_IMAGE_UNDER_CATCH_ALL,
  AUTOSCALED_SERVICE_OWNS_NO_COUNT,
];

/** The violations of every rule in `app`, each prefixed with its rule's id. */
export function deployRuleViolations(app: DeployApp): string[] {
  return DEPLOY_RULES.flatMap((rule) => rule.check(app).map((violation) => `${rule.id}: ${violation}`));
}

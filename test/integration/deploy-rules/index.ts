import { AGENT_PERMISSIONS } from './agent-permissions';
import { NO_DELETION_PROTECTION } from './deletion-protection';
import { DeployApp, DeployRule } from './deploy-rule';
import { NO_RUNNING_IMAGE_UNDER_CATCH_ALL } from './ecr-lifecycle';
import { AUTOSCALED_SERVICE_OWNS_NO_COUNT } from './ecs-desired-count';
import { FIRST_DEPLOY_IMAGES } from './first-deploy-images';
import { NO_RESERVED_CONCURRENCY } from './lambda';
import { CAPACITY_PROVIDER_NAMES } from './names-ecs';
import { PHYSICAL_NAMES } from './physical-names';
import { PRINCIPALS_EXIST } from './principals';
import { NO_RETAINED_FIXED_NAMES } from './retained-names';
import { ROLLBACK_LEAVES_NOTHING } from './rollback-leaves-nothing';
import { SERVICE_LINKED_ROLES } from './service-linked-roles';
import { TASK_PERMISSIONS } from './task-permissions';
import { USER_DATA_COMMANDS } from './user-data-commands';

/** Every deploy rule: deploy-rules.test.ts runs each over every example, valid-platforms.ts over random platforms. */
export const DEPLOY_RULES: DeployRule[] = [
  NO_RESERVED_CONCURRENCY,
  PRINCIPALS_EXIST,
  NO_DELETION_PROTECTION,
  NO_RETAINED_FIXED_NAMES,
  ROLLBACK_LEAVES_NOTHING,
  FIRST_DEPLOY_IMAGES,
  CAPACITY_PROVIDER_NAMES,
  PHYSICAL_NAMES,
  AGENT_PERMISSIONS,
  TASK_PERMISSIONS,
  USER_DATA_COMMANDS,
  SERVICE_LINKED_ROLES,
  NO_RUNNING_IMAGE_UNDER_CATCH_ALL,
  AUTOSCALED_SERVICE_OWNS_NO_COUNT,
];

/** The violations of every rule in `app`, each prefixed with its rule's id. */
export function deployRuleViolations(app: DeployApp): string[] {
  return DEPLOY_RULES.flatMap((rule) => rule.check(app).map((violation) => `${rule.id}: ${violation}`));
}

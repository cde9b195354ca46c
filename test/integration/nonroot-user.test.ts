/**
 * Every container of every example runs as a non-root user: AWS Config's managed rule `ecs-task-definition-nonroot-user`
 * (identifier ECS_TASK_DEFINITION_NONROOT_USER), on which AWS Control Tower's control of the same check is built, finds a
 * task definition NON_COMPLIANT "if the 'user' parameter is not present or set to 'root'", for EC2 launch type
 * containers; its sibling `ecs-task-definition-linux-user-non-root` checks Linux containers the same way.
 *
 * @see https://docs.aws.amazon.com/config/latest/developerguide/ecs-task-definition-nonroot-user.html
 * @see https://docs.aws.amazon.com/config/latest/developerguide/ecs-task-definition-linux-user-non-root.html
 *
 * Implemented over every container definition of every task definition of every stack of every example, sidecars and
 * log routers the library adds included: `User` present, and its user not root by name or id (`root`, `0`, `00`, with
 * or without a group). The containers that cannot comply are listed in EXEMPT with the reason, and the list must be
 * exact, so a new one fails here and is looked at.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { EXAMPLE_FILES, scenarioOf, stackClasses } from './example-stacks';

/**
 * The containers exempted, as `<scenario>/<stack class> <task definition path> <container name>`, and why.
 */
const EXEMPT: Record<string, string> = {
  'windows-service/WindowsServiceStack Example/Platform/Storefront/TaskDefinition app': 'A Windows container: ECS does not support '
    + '`user` for Windows containers (the library refuses it), so the rule cannot be met; the Linux-only variant of the rule, '
    + 'ecs-task-definition-linux-user-non-root, does not apply to it.',
};

/** The user of a container definition, if it is root: no user at all (the image's, root by default), `root` or uid 0. */
function isRoot(user: string | undefined): boolean {
  if (user === undefined || user.trim() === '') return true;
  return /^(root|0+)$/.test(user.split(':')[0]);
}

/** A container that runs as root. */
interface RootContainer {
  /** `<scenario>/<stack class> <task definition path> <container name>`. */
  readonly key: string;
  /** Whether its task definition is for Windows. */
  readonly windows: boolean;
}

/** The containers of an example's task definitions that run as root. */
function rootContainers(file: string, StackClass: new (scope: App, id: string) => Stack): RootContainer[] {
  const app = new App();
  new StackClass(app, 'Example');
  const found: RootContainer[] = [];
  const taskDefinitions = app.node.findAll().filter((c): c is ecs.CfnTaskDefinition => c instanceof ecs.CfnTaskDefinition);
  expect(taskDefinitions.length).toBeGreaterThan(0);
  for (const taskDefinition of taskDefinitions) {
    const stack = Stack.of(taskDefinition);
    const containers = stack.resolve(taskDefinition.containerDefinitions) as Array<{ name: string; user?: string }>;
    // an EC2 task definition states no OS: its service's placement constraint does (`attribute:ecs.os-type == windows`)
    const workload = taskDefinition.node.scope!.node.scope!;
    const windows = workload.node.findAll().filter((c): c is ecs.CfnService => c instanceof ecs.CfnService)
      .some((service) => JSON.stringify(stack.resolve(service.placementConstraints)).includes('ecs.os-type == windows'));
    expect(containers.length).toBeGreaterThan(0);
    for (const container of containers) {
      if (isRoot(container.user)) {
        const key = `${scenarioOf(file)}/${StackClass.name} ${taskDefinition.node.scope!.node.path} ${container.name}`;
        found.push({ key, windows });
      }
    }
  }
  return found;
}

test('recognizes root however it is written, and no user at all', () => {
  expect([undefined, '', 'root', 'root:root', '0', '00', '0:0', '0:1000', 'root:1000'].map(isRoot)).toEqual(Array(9).fill(true));
  expect(['1000', '1000:1000', 'app', 'app:app', '1000:0', '10'].map(isRoot)).toEqual(Array(6).fill(false));
});

test('every container of every example runs as a non-root user, but the exempted ones', () => {
  const found = EXAMPLE_FILES.flatMap((file) => stackClasses(file).flatMap(([, StackClass]) => rootContainers(file, StackClass)));
  expect(found.map((container) => container.key).sort()).toEqual(Object.keys(EXEMPT).sort());
  // the one reason given above: a Windows container
  expect(found.filter((container) => !container.windows)).toEqual([]);
});

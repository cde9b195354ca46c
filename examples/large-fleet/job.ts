/**
 * One scheduled task of the large fleet: `<name>`, started by `trigger` (a cron expression or a rate), running an
 * image from its own ECR repository.
 *
 * Its container runs as the non-root user `1000:1000`: build its image so that this user can read its files.
 *
 * Needs from the platform:
 * - capacity for `<name>`: 1 task of 1024 CPU units and 2048 MiB per run (awsvpc: a network interface)
 *
 * Deploy: push `<name>Images:1.0.0` once the images stack is deployed.
 *
 * Copy it into your platform: change the import `'../../src'` to `'cdk-ecs-platform'`, call
 * `addFleetJob(stack.platform, 'NightlyReports', TaskTrigger.cron({ minute: '30', hour: '2' }))`, and add the
 * capacity above if your platform has none to spare.
 */
import { EcsPlatform, ScheduledTask, TaskTrigger } from '../../src';

/** Adds the scheduled task `name`, started by `trigger`, and its image repository `<name>Images` to `platform`. */
export function addFleetJob(platform: EcsPlatform, name: string, trigger: TaskTrigger): ScheduledTask {
  const images = platform.addImageRepository(`${name}Images`);
  return platform.addScheduledTask(name, { image: images.image('1.0.0'), user: '1000:1000', trigger, cpu: 1024, memoryLimitMiB: 2048 });
}

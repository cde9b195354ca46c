/**
 * The benchmark platform built with this library: an `EcsPlatformStack` with its defaults (2 AZs, a NAT gateway
 * per AZ) and, per service, an `ImageRepository` and a `WebService` that runs an image of it, with one SSM
 * SecureString secret and a path route on the shared load balancer. With `libraryMonitoring: false`, the platform
 * has no alarms and no dashboard (`monitoring: false`), as the stock platform; with `libraryStackPerWorkload`, each
 * service is in a stack of its own (`stackPerWorkload`); with `libraryLean`, the optional parts that stock lacks are off
 * too (monitoring, the web ACL, the AMI update alerts).
 */
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { BuildOptions, BuiltPlatform, newBenchApp, ProgressHook, secretParameterName, SERVICE, serviceId, servicePath, STACK_NAME } from './common';
import { EcsPlatformStack, RouteMatch } from '../src';

/** Builds the library platform with `services` web services. */
export function buildLibraryPlatform(services: number, outdir: string, progress?: ProgressHook, options: BuildOptions = {}): BuiltPlatform {
  const app = newBenchApp(outdir);
  const stack = new EcsPlatformStack(app, STACK_NAME, {
    maxAzs: 2,
    monitoring: options.libraryLean ? false : options.libraryMonitoring,
    stackPerWorkload: options.libraryStackPerWorkload,
    ...options.libraryLean ? { webAcl: false, amiUpdateAlerts: false } : {},
  });
  progress?.();
  for (let i = 0; i < services; i++) {
    const id = serviceId(i);
    const images = stack.addImageRepository(`${id}Images`, {
      maxImageCount: SERVICE.maxImageCount,
      untaggedImageExpiryDays: SERVICE.untaggedImageExpiryDays,
    });
    const image: ecs.ContainerImage = images.image(SERVICE.imageTag);
    stack.addWebService(id, {
      image,
      route: RouteMatch.pathPatterns(servicePath(i)),
      containerPort: SERVICE.containerPort,
      cpu: SERVICE.cpu,
      memoryLimitMiB: SERVICE.memoryLimitMiB,
      minCapacity: SERVICE.minCapacity,
      maxCapacity: SERVICE.maxCapacity,
      targetCpuUtilizationPercent: SERVICE.targetCpuUtilizationPercent,
      secrets: { API_SECRET: secretParameterName(i) },
    });
    progress?.();
  }
  return { app, stackName: stack.stackName };
}

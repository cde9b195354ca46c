/**
 * What both platforms of the benchmark share: the app settings and each service's inputs, so that the library
 * and the stock version are built from the same numbers.
 */
import { App } from 'aws-cdk-lib';

/** Per-service inputs of both platforms. */
export const SERVICE = {
  imageTag: '1.0.0',
  containerPort: 8080,
  cpu: 256,
  memoryLimitMiB: 512,
  minCapacity: 2,
  maxCapacity: 10,
  targetCpuUtilizationPercent: 70,
  maxImageCount: 50,
  untaggedImageExpiryDays: 14,
} as const;

/** The construct id of service `index`. */
export function serviceId(index: number): string {
  return `Service${index}`;
}

/** The path pattern that routes to service `index`. */
export function servicePath(index: number): string {
  return `/service-${index}/*`;
}

/** The SSM SecureString parameter that service `index` reads as `API_SECRET`. */
export function secretParameterName(index: number): string {
  return `/bench/service-${index}/secret`;
}

/** The name of both benchmark stacks. */
export const STACK_NAME = 'Bench';

/**
 * A new app for one benchmark synthesis. Both platforms get the same context: no 500-resource refusal, so that
 * stock aws-cdk-lib also synthesizes from about 34 services on.
 */
export function newBenchApp(outdir: string): App {
  return new App({ outdir, context: { '@aws-cdk/core:stackResourceLimit': 0 } });
}

/** A built platform: its app, and a hook the builders call after each service (the worker samples memory there). */
export interface BuiltPlatform {
  readonly app: App;
  readonly stackName: string;
}

/** Called by a builder after the platform and after each service. */
export type ProgressHook = () => void;

/** Choices of the benchmark that only one of the platforms has. */
export interface BuildOptions {
  /** The library's `monitoring` (alarms and dashboard); the stock platform has none. Default: the library's default (on). */
  readonly libraryMonitoring?: boolean;
  /** The library's `stackPerWorkload` (a stack per service); resources and template bytes are then summed over all stacks. Default: off. */
  readonly libraryStackPerWorkload?: boolean;
  /** The library without the optional parts stock lacks: no monitoring, no web ACL, no AMI update alerts. Default: off. */
  readonly libraryLean?: boolean;
}

/** Builds one platform with `services` services into a new app writing to `outdir`. */
export type PlatformBuilder = (services: number, outdir: string, progress?: ProgressHook, options?: BuildOptions) => BuiltPlatform;

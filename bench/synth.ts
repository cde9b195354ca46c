/**
 * Synth benchmark: how synth time, memory, resource count and template size grow with the number of services.
 *
 * Not a test: run it by hand or in a perf job, on compiled JavaScript for stable numbers:
 *   npx projen bench            (compiles bench/ with tsc into bench/out/, then runs it with node)
 *
 * Each size is synthesized in a fresh process-local App, ROUNDS times; the median time is reported.
 * The comparison against a hand-wired stock aws-cdk-lib stack belongs to the scale issue (#7).
 */
import * as os from 'os';
import { App, Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { EcsPlatformStack, RouteMatch } from '../src';

const SIZES = [1, 5, 20];
const ROUNDS = 5;

interface Measurement {
  readonly services: number;
  readonly medianMs: number;
  readonly heapMiB: number;
  readonly resources: number;
  readonly templateKiB: number;
}

function buildAndSynth(services: number): { ms: number; template: string; stack: Stack } {
  const start = process.hrtime.bigint();
  const app = new App({ context: { '@aws-cdk/core:stackResourceLimit': 0 } });
  const stack = new EcsPlatformStack(app, 'Bench', { maxAzs: 2 });
  for (let i = 0; i < services; i++) {
    stack.addWebService(`Service${i}`, {
      image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27'),
      route: RouteMatch.pathPatterns(`/service-${i}/*`),
      secrets: { API_SECRET: `/bench/service-${i}/secret` },
    });
  }
  const assembly = app.synth();
  const template = JSON.stringify(assembly.getStackByName(stack.stackName).template);
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, template, stack };
}

function measure(services: number): Measurement {
  const times: number[] = [];
  let template = '';
  let heap = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const result = buildAndSynth(services);
    times.push(result.ms);
    template = result.template;
    heap = Math.max(heap, process.memoryUsage().heapUsed);
  }
  times.sort((a, b) => a - b);
  return {
    services,
    medianMs: Math.round(times[Math.floor(ROUNDS / 2)]),
    heapMiB: Math.round(heap / 2 ** 20),
    resources: Object.keys(JSON.parse(template).Resources).length,
    templateKiB: Math.round(Buffer.byteLength(template) / 1024),
  };
}

process.env.CDK_VALIDATION = 'false';
console.log(`node ${process.version}, ${os.cpus().length} cores; median of ${ROUNDS} synths`);
console.log('| services | synth ms (median) | heap MiB | resources | template KiB |');
console.log('|---:|---:|---:|---:|---:|');
for (const size of SIZES) {
  const m = measure(size);
  console.log(`| ${m.services} | ${m.medianMs} | ${m.heapMiB} | ${m.resources} | ${m.templateKiB} |`);
}

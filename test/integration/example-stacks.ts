import * as fs from 'fs';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/** The constructor of a Stack class that an example exports. */
export type ExampleStackClass = new (scope: Construct, id: string) => Stack;

/** Where the examples live. */
export const EXAMPLES_DIR = path.join(__dirname, '..', '..', 'examples');

/** The scenarios: each a folder of examples/ with a `platform.ts`, sorted. */
export const SCENARIOS: string[] = fs.readdirSync(EXAMPLES_DIR, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(EXAMPLES_DIR, entry.name, 'platform.ts')))
  .map((entry) => entry.name)
  .sort();

/** The example apps, one per scenario, relative to examples/: `<scenario>/platform.ts`, sorted. */
export const EXAMPLE_FILES: string[] = SCENARIOS.map((scenario) => `${scenario}/platform.ts`);

/**
 * The workload files, relative to examples/: every `<scenario>/*.ts` but `platform.ts`, sorted. Each exports
 * `add*` functions that take the platform.
 */
export const WORKLOAD_FILES: string[] = SCENARIOS.flatMap((scenario) => fs.readdirSync(path.join(EXAMPLES_DIR, scenario))
  .filter((file) => file.endsWith('.ts') && file !== 'platform.ts')
  .map((file) => `${scenario}/${file}`))
  .sort();

/** The scenario of an example or workload file: `production-platform` for `production-platform/platform.ts`. */
export function scenarioOf(file: string): string {
  return file.split('/')[0];
}

/** The Stack classes an example file exports, sorted by name. */
export function stackClasses(file: string): Array<[string, ExampleStackClass]> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exported = require(path.join(EXAMPLES_DIR, file)) as Record<string, unknown>;
  return Object.entries(exported)
    .filter((entry): entry is [string, ExampleStackClass] => typeof entry[1] === 'function' && entry[1].prototype instanceof Stack)
    .sort(([a], [b]) => a.localeCompare(b));
}

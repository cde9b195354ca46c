import * as fs from 'fs';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/** The constructor of a Stack class that an example exports. */
export type ExampleStackClass = new (scope: Construct, id: string) => Stack;

/** Where the examples live. */
export const EXAMPLES_DIR = path.join(__dirname, '..', '..', 'examples');

/** The example files, each a CDK app: `examples/*.ts`, sorted. */
export const EXAMPLE_FILES: string[] = fs.readdirSync(EXAMPLES_DIR).filter((file) => file.endsWith('.ts')).sort();

/** The Stack classes an example file exports, sorted by name. */
export function stackClasses(file: string): Array<[string, ExampleStackClass]> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exported = require(path.join(EXAMPLES_DIR, file)) as Record<string, unknown>;
  return Object.entries(exported)
    .filter((entry): entry is [string, ExampleStackClass] => typeof entry[1] === 'function' && entry[1].prototype instanceof Stack)
    .sort(([a], [b]) => a.localeCompare(b));
}

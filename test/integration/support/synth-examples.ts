/**
 * Synthesizes every stack of every example into `<outdir>/<example>/`: run in a child process by
 * test/integration/determinism.test.ts, twice, to prove the templates do not depend on the process or the directory.
 *
 * Usage: node -r ts-node/register test/integration/support/synth-examples.ts <outdir>
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';

const outdir = process.argv[2];
const examplesDir = path.join(__dirname, '..', '..', '..', 'examples');
for (const file of fs.readdirSync(examplesDir).filter((name) => name.endsWith('.ts')).sort()) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exported = require(path.join(examplesDir, file)) as Record<string, unknown>;
  for (const [name, value] of Object.entries(exported).sort(([a], [b]) => a.localeCompare(b))) {
    if (typeof value !== 'function' || !(value.prototype instanceof Stack)) continue;
    const StackClass = value as new (scope: App, id: string) => Stack;
    const app = new App({ outdir: path.join(outdir, path.basename(file, '.ts'), name) });
    new StackClass(app, 'Example');
    app.synth();
  }
}

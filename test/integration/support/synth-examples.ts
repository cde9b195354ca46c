/**
 * Synthesizes every stack of every example into `<outdir>/<scenario>/<stack class>/`: run in a child process by
 * test/integration/determinism.test.ts, twice, to prove the templates do not depend on the process or the directory.
 *
 * Usage: node -r ts-node/register test/integration/support/synth-examples.ts <outdir>
 */
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { EXAMPLE_FILES, scenarioOf, stackClasses } from '../example-stacks';

const outdir = process.argv[2];
for (const file of EXAMPLE_FILES) {
  for (const [name, StackClass] of stackClasses(file)) {
    const app = new App({ outdir: path.join(outdir, scenarioOf(file), name) });
    new StackClass(app, 'Example');
    app.synth();
  }
}

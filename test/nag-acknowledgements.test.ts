import * as fs from 'fs';
import * as path from 'path';
import { Annotations, App, Stack, Validations } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { acknowledgeNagRule, NAG_ACKNOWLEDGEMENTS, NagAcknowledgementName } from '../src/shared/nag';

/** A rule id of one of the four packs the examples are checked with (test/integration/examples.test.ts, test/integration/compliance.test.ts). */
const RULE_ID = /^(AwsSolutions-[A-Z]+\d+|(NIST\.800\.53\.R5|HIPAA\.Security|PCI\.DSS\.321)-[A-Z][A-Za-z0-9]+)$/;

/** The rows of the acknowledgement table of docs/cdk-nag.md, between its markers. */
function documentedRows(): string[][] {
  const page = fs.readFileSync(path.join(__dirname, '..', 'docs', 'cdk-nag.md'), 'utf8');
  const table = page.split('<!-- nag-acknowledgements:start -->')[1].split('<!-- nag-acknowledgements:end -->')[0];
  return table.trim().split('\n').slice(2)
    .map((line) => line.split('|').slice(1, -1).map((cell) => cell.trim()));
}

test('docs/cdk-nag.md lists every cdk-nag acknowledgement of the code, and nothing else', () => {
  const code = Object.values(NAG_ACKNOWLEDGEMENTS).map((ack) => [ack.ruleIds.join(', '), ack.construct, ack.reason]);
  expect(documentedRows()).toEqual(code);
});

test('every acknowledgement names rules of the four packs, each once, and has a reason of substance', () => {
  for (const ack of Object.values(NAG_ACKNOWLEDGEMENTS)) {
    expect(ack.ruleIds.length).toBeGreaterThan(0);
    for (const ruleId of ack.ruleIds) expect(ruleId).toMatch(RULE_ID);
    expect(new Set(ack.ruleIds).size).toBe(ack.ruleIds.length);
    expect(ack.reason.length).toBeGreaterThan(40);
  }
});

describe('acknowledgeNagRule() records what Validations.of(scope).acknowledge() records', () => {
  /**
   * The metadata under a construct after `acknowledge(scope)`: its own, and that of two children warned under every id
   * that could name the rules, one before the acknowledgement (its warnings are removed) and one after (suppressed).
   */
  function acknowledged(acknowledge: (scope: IConstruct) => void, ruleIds: string[]) {
    const stack = new Stack(new App(), 'Stack');
    const scope = new Construct(stack, 'Scope');
    const warn = (construct: IConstruct) => {
      for (const id of ruleIds) {
        Annotations.of(construct).addWarningV2(id, `finding ${id}`);
        Annotations.of(construct).addWarningV2(`Annotation::${id}`, `finding Annotation::${id}`);
      }
    };
    warn(new Construct(scope, 'Before'));
    acknowledge(scope);
    warn(new Construct(scope, 'After'));
    return scope.node.findAll().flatMap((construct) => construct.node.metadata
      .map(({ type, data }) => ({ path: construct.node.path, type, data })));
  }

  test.each(Object.keys(NAG_ACKNOWLEDGEMENTS) as NagAcknowledgementName[])('%s', (name) => {
    const { ruleIds, reason } = NAG_ACKNOWLEDGEMENTS[name];
    for (const suffix of ['', '[Resource::*]']) {
      const ids = ruleIds.map((ruleId) => `${ruleId}${suffix}`);
      const ours = acknowledged((scope) => acknowledgeNagRule(scope, name, suffix), ids);
      const cdk = acknowledged((scope) => {
        for (const id of ids) Validations.of(scope).acknowledge({ id, reason });
      }, ids);
      expect(ours).toEqual(cdk);
      expect(ours.filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)).toHaveLength(ids.length);
    }
  });
});

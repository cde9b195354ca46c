import * as fs from 'fs';
import * as path from 'path';
import { NAG_ACKNOWLEDGEMENTS } from '../src/private/nag';

/** The rows of the README's acknowledgement table, between its markers. */
function readmeRows(): string[][] {
  const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
  const table = readme.split('<!-- nag-acknowledgements:start -->')[1].split('<!-- nag-acknowledgements:end -->')[0];
  return table.trim().split('\n').slice(2)
    .map((line) => line.split('|').slice(1, -1).map((cell) => cell.trim()));
}

test('the README lists every cdk-nag acknowledgement of the code, and nothing else', () => {
  const code = Object.values(NAG_ACKNOWLEDGEMENTS).map((ack) => [ack.ruleId, ack.construct, ack.reason]);
  expect(readmeRows()).toEqual(code);
});

test('every acknowledgement has a reason of substance', () => {
  for (const ack of Object.values(NAG_ACKNOWLEDGEMENTS)) {
    expect(ack.ruleId).toMatch(/^AwsSolutions-[A-Z]+\d+$/);
    expect(ack.reason.length).toBeGreaterThan(40);
  }
});

/**
 * A platform with an `env` synthesizes offline when the app's context holds the Availability Zones of its account and
 * region (committed in cdk.context.json, as the README shows): the only context lookup the platform needs is the new
 * VPC's zones, and with them in context no lookup (and so no AWS credential) is needed.
 */
import { App } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { EcsPlatformStack, RouteMatch } from '../src';

const ENV = { account: '123456789012', region: 'eu-west-1' };
/** The context key of the Availability Zones lookup, as aws-cdk-lib writes it to cdk.context.json. */
const AZ_CONTEXT_KEY = `availability-zones:account=${ENV.account}:region=${ENV.region}`;

function missingLookups(context: Record<string, unknown>): string[] {
  const app = new App({ context });
  const stack = new EcsPlatformStack(app, 'EcsPlatform', { env: ENV });
  stack.addWebService('Web', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27'), route: RouteMatch.pathPatterns('/*') });
  return (app.synth().manifest.missing ?? []).map((missing) => missing.key);
}

test('with an env, the new VPC looks up its Availability Zones: the one lookup, which needs AWS credentials', () => {
  expect(missingLookups({})).toEqual([AZ_CONTEXT_KEY]);
});

test('with the zones in the app\'s context (cdk.context.json), the platform needs no lookup and synthesizes offline', () => {
  expect(missingLookups({ [AZ_CONTEXT_KEY]: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'] })).toEqual([]);
});

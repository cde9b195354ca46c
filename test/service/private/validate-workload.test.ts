import { App, CfnParameter, Stack, Token } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import {
  assertCommand, assertEnvironmentNames, assertHttpMatcher, assertMountPath, assertPinnedImage, assertServiceName, checkUser,
} from '../../../src/service/private/validate-workload';

describe('validate-workload', () => {
  let scope: Stack;
  beforeEach(() => {
    scope = new Stack(new App(), 'Scope');
  });

  describe('tokens', () => {
    test('accepts unresolved tokens everywhere, unchecked', () => {
      const text = new CfnParameter(scope, 'Text').valueAsString;
      expect(() => assertServiceName(scope, 'serviceName', text)).not.toThrow();
      expect(() => assertHttpMatcher(scope, 'healthCheckHealthyHttpCodes', text)).not.toThrow();
      expect(() => assertPinnedImage(scope, 'image', ecs.ContainerImage.fromRegistry(text))).not.toThrow();
      expect(() => assertPinnedImage(scope, 'image', ecs.ContainerImage.fromRegistry(`nginx:${text}`))).not.toThrow();
      expect(() => assertCommand(scope, 'command', [text])).not.toThrow();
      expect(() => assertMountPath(scope, 'scratchVolumes[0].containerPath', text)).not.toThrow();
      expect(() => assertEnvironmentNames(scope, '', { [Token.asString(text)]: 'x' })).not.toThrow();
    });
  });

  test('refuses a reversed matcher range', () => {
    expect(() => assertHttpMatcher(scope, 'codes', '299-200')).toThrow(/^\[Scope\] `codes` must be HTTP codes between 200 and 499/);
  });

  test('refuses root spelled with zeros and warns on the root group only', () => {
    expect(() => checkUser(scope, 'user', '00')).toThrow(/`user` must be a user other than root/);
    expect(() => checkUser(scope, 'user', '1000:0')).not.toThrow();
    expect(() => checkUser(scope, 'user', '1000:1000')).not.toThrow();
  });

  test('accepts images from other sources without looking at them', () => {
    expect(() => assertPinnedImage(scope, 'image', ecs.ContainerImage.fromRegistry('nginx:1.27'))).not.toThrow();
    expect(() => assertPinnedImage(scope, 'image', ecs.ContainerImage.fromRegistry('nginx@sha256:' + 'a'.repeat(64)))).not.toThrow();
  });
});

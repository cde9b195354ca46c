/**
 * Users test their platforms with aws-cdk-lib's assertions: `Template.fromStack()`, then `Annotations.fromStack()`
 * (which synthesizes the app again), then more assertions on the template. Every example must survive this pattern
 * and give the same template each time (aws-cdk-lib's `ecs.Cluster` alone fails the second synthesis when it has a
 * default capacity provider strategy, as every `EcsCluster` has).
 */
import { App } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { EXAMPLE_FILES, stackClasses } from './example-stacks';

describe.each(EXAMPLE_FILES)('examples/%s', (file) => {
  test.each(stackClasses(file))('%s: Template.fromStack, Annotations.fromStack, Template.fromStack give one template', (_name, StackClass) => {
    const stack = new StackClass(new App(), 'Example');
    const template = Template.fromStack(stack);
    Annotations.fromStack(stack).hasNoError('*', Match.anyValue());
    expect(Template.fromStack(stack).toJSON()).toEqual(template.toJSON());
  });
});

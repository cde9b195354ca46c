import { appOf, appOfStacks, DeployApp, Template } from './deploy-rule';
import { FIRST_DEPLOY_IMAGES } from './first-deploy-images';

const IMPORTED = { 'Fn::ImportValue': 'Platform-Images:ApiImages:RepositoryArn' };

function taskDefinition(image: unknown): Template['Resources'] {
  return { Task: { Type: 'AWS::ECS::TaskDefinition', Properties: { ContainerDefinitions: [{ Name: 'app', Image: image }] } } };
}

function twoStacks(dependencies: string[]): DeployApp {
  const images: Template = {
    Resources: { Repo: { Type: 'AWS::ECR::Repository' } },
    Outputs: { Arn: { Value: {}, Export: { Name: IMPORTED['Fn::ImportValue'] } } },
  };
  const platform: Template = {
    Resources: taskDefinition({ 'Fn::Join': ['', [{ 'Fn::Select': [1, { 'Fn::Split': [':repository/', IMPORTED] }] }, ':1.0.0']] }),
  };
  return appOfStacks(['Platform-Images', images], ['Platform', platform, dependencies]);
}

test('a task that runs an image of a repository of its own stack breaks the rule', () => {
  const app = appOf({ Resources: { Repo: { Type: 'AWS::ECR::Repository' }, ...taskDefinition({ 'Fn::Join': ['', [{ Ref: 'Repo' }, ':1.0.0']] }) } });
  expect(FIRST_DEPLOY_IMAGES.check(app)).toEqual(['TestStack/Task (AWS::ECS::TaskDefinition) container app runs an image of Repo, which its own stack creates']);
});

test('a task that runs an image exported by a stack it does not depend on breaks the rule', () => {
  expect(FIRST_DEPLOY_IMAGES.check(twoStacks([]))).toEqual([expect.stringContaining('exported by Platform-Images, which does not deploy before it')]);
});

test('an image of a repository in a stack deployed before, or of a public registry, keeps the rule', () => {
  expect(FIRST_DEPLOY_IMAGES.check(twoStacks(['Platform-Images']))).toEqual([]);
  expect(FIRST_DEPLOY_IMAGES.check(appOf({ Resources: taskDefinition('public.ecr.aws/nginx/nginx:1.27') }))).toEqual([]);
});

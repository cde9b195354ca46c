import { Match } from 'aws-cdk-lib/assertions';
import { exactly, WebServiceFixture } from './web-service.fixtures';
import { AmiFamily, ServicePlacementConstraint, ServicePlacementStrategy } from '../../src';

const LINUX = { Type: 'memberOf', Expression: 'attribute:ecs.os-type == linux' };

describe('WebService placement', () => {
  let fixture: WebServiceFixture;
  beforeEach(() => {
    fixture = new WebServiceFixture();
  });

  describe('defaults', () => {
    test('spreads tasks across Availability Zones, then packs them by memory', () => {
      fixture.addService();
      fixture.template().hasResourceProperties('AWS::ECS::Service', {
        PlacementStrategies: [
          { Type: 'spread', Field: 'attribute:ecs.availability-zone' },
          { Type: 'binpack', Field: 'MEMORY' },
        ],
      });
    });

    test('constrains tasks to instances of their OS only', () => {
      fixture.addService();
      fixture.template().hasResourceProperties('AWS::ECS::Service', { PlacementConstraints: [LINUX] });
    });
  });

  describe('configuration', () => {
    test.each([
      ['spreadAcrossZones', ServicePlacementStrategy.spreadAcrossZones(), { Type: 'spread', Field: 'attribute:ecs.availability-zone' }],
      ['spreadAcrossInstances', ServicePlacementStrategy.spreadAcrossInstances(), { Type: 'spread', Field: 'instanceId' }],
      ['spread(host)', ServicePlacementStrategy.spread('host'), { Type: 'spread', Field: 'host' }],
      ['spread(attribute)', ServicePlacementStrategy.spread('attribute:ecs.instance-type'), { Type: 'spread', Field: 'attribute:ecs.instance-type' }],
      ['binpackMemory', ServicePlacementStrategy.binpackMemory(), { Type: 'binpack', Field: 'MEMORY' }],
      ['binpackCpu', ServicePlacementStrategy.binpackCpu(), { Type: 'binpack', Field: 'CPU' }],
      ['random', ServicePlacementStrategy.random(), { Type: 'random' }],
    ])('renders the %s strategy', (_, strategy, rendered) => {
      fixture.addService({ placementStrategies: [strategy] });
      fixture.template().hasResourceProperties('AWS::ECS::Service', { PlacementStrategies: [rendered] });
    });

    test('keeps the provided strategies in order, up to 5', () => {
      fixture.addService({
        placementStrategies: [
          ServicePlacementStrategy.spreadAcrossZones(),
          ServicePlacementStrategy.spreadAcrossInstances(),
          ServicePlacementStrategy.spread('attribute:stack'),
          ServicePlacementStrategy.binpackCpu(),
          ServicePlacementStrategy.binpackMemory(),
        ],
      });
      fixture.template().hasResourceProperties('AWS::ECS::Service', {
        PlacementStrategies: [
          { Type: 'spread', Field: 'attribute:ecs.availability-zone' },
          { Type: 'spread', Field: 'instanceId' },
          { Type: 'spread', Field: 'attribute:stack' },
          { Type: 'binpack', Field: 'CPU' },
          { Type: 'binpack', Field: 'MEMORY' },
        ],
      });
    });

    test('adds the provided constraints after the OS constraint', () => {
      fixture.addService({
        placementConstraints: [
          ServicePlacementConstraint.distinctInstance(),
          ServicePlacementConstraint.memberOf('attribute:ecs.instance-type =~ m6i.* and attribute:ecs.availability-zone in [us-east-1a, us-east-1b]'),
        ],
      });
      fixture.template().hasResourceProperties('AWS::ECS::Service', {
        PlacementConstraints: [
          LINUX,
          { Type: 'distinctInstance' },
          { Type: 'memberOf', Expression: 'attribute:ecs.instance-type =~ m6i.* and attribute:ecs.availability-zone in [us-east-1a, us-east-1b]' },
        ],
      });
    });

    test('keeps the Windows OS constraint first on a Windows strategy', () => {
      const windows = fixture.cluster.addCapacity('Windows', { amiFamily: AmiFamily.WINDOWS_SERVER_2022_CORE });
      fixture.addService({ capacityStrategy: [{ capacity: windows }], placementConstraints: [ServicePlacementConstraint.distinctInstance()] });
      fixture.template().hasResourceProperties('AWS::ECS::Service', {
        PlacementConstraints: [{ Type: 'memberOf', Expression: 'attribute:ecs.os-type == windows' }, { Type: 'distinctInstance' }],
      });
    });

    test('accepts 9 constraints of its own, ECS\'s 10 with the OS constraint', () => {
      fixture.addService({ placementConstraints: Array.from({ length: 9 }, (_, index) => ServicePlacementConstraint.memberOf(`attribute:n${index} exists`)) });
      fixture.template().hasResourceProperties('AWS::ECS::Service', {
        PlacementConstraints: Match.arrayWith([LINUX, { Type: 'memberOf', Expression: 'attribute:n8 exists' }]),
      });
    });
  });

  describe('validation', () => {
    test('fails when placementStrategies is empty', () => {
      expect(() => fixture.addService({ placementStrategies: [] }))
        .toThrow(exactly('[TestStack/Api] `placementStrategies` must be 1 to 5 strategies (an ECS limit), got: 0'));
    });

    test('fails when placementStrategies has more than 5 strategies', () => {
      expect(() => fixture.addService({ placementStrategies: Array.from({ length: 6 }, () => ServicePlacementStrategy.random()) }))
        .toThrow(exactly('[TestStack/Api] `placementStrategies` must be 1 to 5 strategies (an ECS limit), got: 6'));
    });

    test.each(['ecs.instance-type', 'attribute:', 'availability-zone', ''])('fails when a spread field is %j', (field) => {
      expect(() => fixture.addService({ placementStrategies: [ServicePlacementStrategy.binpackCpu(), ServicePlacementStrategy.spread(field)] }))
        .toThrow(exactly('[TestStack/Api] `placementStrategies[1]` must be a spread over `instanceId`, `host` or an instance attribute such as '
          + `\`attribute:ecs.instance-type\`, got: ${JSON.stringify(field)}`));
    });

    test('fails when there are more than 9 constraints, naming the OS constraint', () => {
      expect(() => fixture.addService({ placementConstraints: Array.from({ length: 10 }, () => ServicePlacementConstraint.memberOf('attribute:a exists')) }))
        .toThrow(exactly('[TestStack/Api] `placementConstraints` must be at most 9 constraints (ECS allows 10 per service, and the OS '
          + 'constraint takes one), got: 10'));
    });

    test('fails when distinctInstance() is given twice', () => {
      expect(() => fixture.addService({
        placementConstraints: [
          ServicePlacementConstraint.distinctInstance(),
          ServicePlacementConstraint.memberOf('attribute:a exists'),
          ServicePlacementConstraint.distinctInstance(),
        ],
      })).toThrow(exactly('[TestStack/Api] `placementConstraints[2]` must be a constraint other than a second `distinctInstance()` (one already applies to every task), '
        + 'got: "distinctInstance()"'));
    });

    test.each([
      ['(attribute:ecs.instance-type =~ m6i.*', '"(" at character 1 is never closed'],
      ['attribute:ecs.instance-type =~ m6i.*)', '")" at character 37 closes no "("'],
      ['instance-type == m6i.large', '"instance-type" is not a subject (use attribute:<name>, ec2InstanceId, agentConnected, agentVersion, '
        + 'registeredAt, runningTasksCount or task:group)'],
      ['attribute:ecs.instance-type = m6i.large', '"attribute:ecs.instance-type" must be followed by an operator (==, !=, >, >=, <, <=, '
        + 'exists, !exists, in, !in, =~ or !~), not "="'],
      ['attribute:ecs.availability-zone in us-east-1a', '"attribute:ecs.availability-zone in" needs a list such as [a, b]'],
      ['ec2InstanceId > i-0abc', 'ec2InstanceId cannot be compared with ">" (use ==, !=, in, !in, =~, !~)'],
      ["attribute:stack == 'prod", "the quote ' at character 20 is never closed"],
    ])('fails when a memberOf expression is malformed: %j', (expression, problem) => {
      expect(() => fixture.addService({ placementConstraints: [ServicePlacementConstraint.memberOf(expression)] }))
        .toThrow(exactly('[TestStack/Api] `placementConstraints[0]` must be a cluster query expression such as '
          + `\`attribute:ecs.instance-type =~ m6i.*\` (${problem}), got: ${JSON.stringify(expression)}`));
    });

    test('fails when a memberOf expression excludes the workload\'s OS', () => {
      expect(() => fixture.addService({ placementConstraints: [ServicePlacementConstraint.memberOf('attribute:ecs.os-type == windows')] }))
        .toThrow(exactly('[TestStack/Api] `placementConstraints[0]` must be an expression that a linux instance can meet (the workload runs '
          + 'on linux, and `attribute:ecs.os-type` in this expression excludes it: no task could ever be placed), '
          + 'got: "attribute:ecs.os-type == windows"'));
    });

    test('fails when a memberOf expression excludes Windows on a Windows strategy', () => {
      const windows = fixture.cluster.addCapacity('Windows', { amiFamily: AmiFamily.WINDOWS_SERVER_2022_CORE });
      expect(() => fixture.addService({
        capacityStrategy: [{ capacity: windows }],
        placementConstraints: [ServicePlacementConstraint.distinctInstance(), ServicePlacementConstraint.memberOf('attribute:ecs.os-type != windows')],
      })).toThrow(/`placementConstraints\[1\]` must be an expression that a windows instance can meet/);
    });

    test('accepts a memberOf expression that may select the workload\'s OS', () => {
      fixture.addService({ placementConstraints: [ServicePlacementConstraint.memberOf('attribute:ecs.os-type == windows or attribute:stack == a')] });
      fixture.template().resourceCountIs('AWS::ECS::Service', 1);
    });

    test('adds nothing to the stack when a constraint is malformed', () => {
      expect(() => fixture.addService({ placementConstraints: [ServicePlacementConstraint.memberOf('attribute:a ==')] })).toThrow();
      expect(fixture.stack.node.findChild('Api').node.children).toEqual([]);
    });
  });
});

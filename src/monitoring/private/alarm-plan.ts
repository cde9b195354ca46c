import { Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import { IConstruct } from 'constructs';
import * as metrics from './platform-metrics';
import { validationError } from '../../shared/validate';
import { AlarmOptions } from '../alarm-options';

/** One alarm: what it watches, its defaults and how to describe it. */
export interface AlarmDefinition {
  /** Construct id of the alarm, in the scope of the monitored construct. */
  readonly id: string;
  /** The option that tunes it, as the user writes it (for messages). */
  readonly prop: string;
  readonly metric: (period: Duration) => cloudwatch.IMetric;
  readonly threshold: number;
  readonly evaluationPeriods: number;
  readonly comparison: cloudwatch.ComparisonOperator;
  readonly treatMissingData: cloudwatch.TreatMissingData;
  /** What is compared, for the description: "average CPU reservation". */
  readonly condition: string;
  /** The unit after the threshold, for the description: " %". */
  readonly unit: string;
  /** What it means and where to look. */
  readonly advice: string;
  /** A synth warning for the alarm, when something it needs is missing. */
  readonly warning?: { readonly id: string; readonly message: string };
}

/** One alarm to create, with the user's options. */
export interface PlannedAlarm {
  readonly definition: AlarmDefinition;
  readonly options?: AlarmOptions;
}

/** One EventBridge rule that sends a message to the topic. */
export interface PlannedNotification {
  readonly id: string;
  readonly description: string;
  readonly pattern: events.EventPattern;
  readonly message: events.RuleTargetInput;
}

/** The alarms and notifications of one monitored construct. */
export interface PlannedAlarms {
  readonly alarms: PlannedAlarm[];
  readonly notifications: PlannedNotification[];
}

/** An alarm definition with its settings resolved and checked. */
export interface ResolvedAlarm {
  readonly definition: AlarmDefinition;
  readonly threshold: number;
  readonly period: Duration;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
}

const DEFAULT_PERIOD = metrics.DEFAULT_PERIOD;
const MAX_EVALUATION_SECONDS = 86400;
const COMPARISON_TEXT: Record<string, string> = {
  [cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD]: '>=',
  [cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD]: '>',
};

/** An alarm's settings: the user's options over the alarm's defaults, checked. */
export function resolveAlarm(scope: IConstruct, planned: PlannedAlarm): ResolvedAlarm {
  const { definition, options = {} } = planned;
  const threshold = options.threshold ?? definition.threshold;
  const period = options.period ?? DEFAULT_PERIOD;
  const evaluationPeriods = options.evaluationPeriods ?? definition.evaluationPeriods;
  const datapointsToAlarm = options.datapointsToAlarm ?? evaluationPeriods;
  assertAlarmOptions(scope, definition.prop, { threshold, period, evaluationPeriods, datapointsToAlarm });
  return { definition, threshold, period, evaluationPeriods, datapointsToAlarm };
}

/** The description of an alarm: what it compares, when it goes off, and what to check. */
export function describeAlarm(subject: string, resolved: ResolvedAlarm): string {
  const { definition, threshold, period, evaluationPeriods, datapointsToAlarm } = resolved;
  return `${subject}: ${definition.condition} ${COMPARISON_TEXT[definition.comparison]} ${threshold}${definition.unit} `
    + `in ${datapointsToAlarm} of ${evaluationPeriods} periods of ${period.toHumanString()}. ${definition.advice}`;
}

/** `options` over `defaults`, field by field; a field left undefined keeps the default's. */
export function mergeAlarmOptions(defaults: AlarmOptions = {}, options: AlarmOptions = {}): AlarmOptions {
  return {
    enabled: options.enabled ?? defaults.enabled,
    threshold: options.threshold ?? defaults.threshold,
    period: options.period ?? defaults.period,
    evaluationPeriods: options.evaluationPeriods ?? defaults.evaluationPeriods,
    datapointsToAlarm: options.datapointsToAlarm ?? defaults.datapointsToAlarm,
  };
}

/** Checks the settings of one alarm; a setting left undefined (in `serviceDefaults`) is not checked. */
export function assertAlarmOptions(scope: IConstruct, prop: string, options: AlarmOptions): void {
  const { threshold, period, evaluationPeriods, datapointsToAlarm } = options;
  if (threshold !== undefined && !Token.isUnresolved(threshold) && !(Number.isFinite(threshold) && threshold >= 0)) {
    validationError(scope, `${prop}.threshold`, 'a number of at least 0', threshold);
  }
  const seconds = period && !period.isUnresolved() ? period.toSeconds({ integral: false }) : undefined;
  if (seconds !== undefined && !(Number.isInteger(seconds / 60) && seconds >= 60 && seconds <= MAX_EVALUATION_SECONDS)) {
    validationError(scope, `${prop}.period`, 'whole minutes from 1 minute to 1 day', period!.toHumanString());
  }
  const maxPeriods = Math.floor(MAX_EVALUATION_SECONDS / (seconds ?? DEFAULT_PERIOD.toSeconds()));
  if (evaluationPeriods !== undefined && !Token.isUnresolved(evaluationPeriods)
    && !(Number.isInteger(evaluationPeriods) && evaluationPeriods >= 1 && evaluationPeriods <= maxPeriods)) {
    validationError(scope, `${prop}.evaluationPeriods`,
      `an integer between 1 and ${maxPeriods} (evaluationPeriods × period at most one day)`, evaluationPeriods);
  }
  if (datapointsToAlarm !== undefined && !Token.isUnresolved(datapointsToAlarm)) {
    const most = evaluationPeriods !== undefined && !Token.isUnresolved(evaluationPeriods) ? evaluationPeriods : undefined;
    if (!Number.isInteger(datapointsToAlarm) || datapointsToAlarm < 1 || (most !== undefined && datapointsToAlarm > most)) {
      validationError(scope, `${prop}.datapointsToAlarm`,
        most !== undefined ? `an integer between 1 and \`${prop}.evaluationPeriods\` (${most})` : 'an integer of at least 1', datapointsToAlarm);
    }
  }
}

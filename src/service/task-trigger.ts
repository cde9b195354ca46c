import { Duration, Token } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import { IConstruct } from 'constructs';
import { checkAtExpression, checkCronFields, checkRateExpression } from './private/schedule-expression';
import { validationError } from '../shared/validate';

/**
 * The fields of a cron schedule for `TaskTrigger.cron()`, in EventBridge's cron syntax: each field takes a value,
 * a range (`1-5`), a list (`1,15`), an increment (`0/15`) or `*`; day-of-month also takes `L` (last day), `LW`
 * (last weekday) and `<day>W` (nearest weekday), day-of-week `L`, `<day>L` (last such day of the month) and
 * `<day>#<n>` (nth such day of the month).
 *
 * Left-out fields default so that the schedule runs once per period of the largest field given: `{ hour: '3' }`
 * runs daily at 03:00, not every minute from 03:00 to 03:59.
 *
 * @see https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html#cron-based
 */
export interface TaskCronOptions {
  /**
   * Minutes, 0 to 59.
   *
   * @default '0'
   */
  readonly minute?: string;

  /**
   * Hours, 0 to 23.
   *
   * @default - '0' when `day`, `month`, `weekDay` or `year` is given, else '*' (every hour)
   */
  readonly hour?: string;

  /**
   * Day of the month, 1 to 31. Give this or `weekDay`, not both.
   *
   * @default - '?' when `weekDay` is given, else '*' (every day)
   */
  readonly day?: string;

  /**
   * Month, 1 to 12 or JAN to DEC.
   *
   * @default '*'
   */
  readonly month?: string;

  /**
   * Day of the week, 1 to 7 (1 is Sunday) or SUN to SAT. Give this or `day`, not both.
   *
   * @default - any day of the week: '?'
   */
  readonly weekDay?: string;

  /**
   * Year, 1970 to 2199.
   *
   * @default '*'
   */
  readonly year?: string;
}

/**
 * What starts a `ScheduledTask`: a schedule of EventBridge Scheduler (cron, rate or one time), or events that
 * match a pattern on an EventBridge event bus.
 *
 * Expressions are checked at synth time: a cron expression has six fields (minutes hours day-of-month month
 * day-of-week year) with `?` in exactly one of day-of-month and day-of-week; a rate is a whole number of minutes,
 * hours or days.
 *
 * @see https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html
 */
export abstract class TaskTrigger {
  /**
   * Runs the task on a cron schedule, in the task's time zone, for example `TaskTrigger.cron({ hour: '3' })`
   * (daily at 03:00) or `TaskTrigger.cron({ minute: '30', hour: '8', weekDay: 'MON-FRI' })`.
   *
   * @param options the fields of the schedule, where left-out fields run once per period of the largest field given
   */
  public static cron(options: TaskCronOptions = {}): TaskTrigger {
    const coarse = [options.day, options.month, options.weekDay, options.year].some((field) => field !== undefined);
    const fields = [
      options.minute ?? '0',
      options.hour ?? (coarse ? '0' : '*'),
      options.day ?? (options.weekDay !== undefined ? '?' : '*'),
      options.month ?? '*',
      options.weekDay ?? '?',
      options.year ?? '*',
    ];
    return new ScheduleTrigger(ScheduleKind.CRON, `cron(${fields.join(' ')})`);
  }

  /**
   * Runs the task on a cron schedule written as EventBridge's six fields. For example `'0 3 * * ? *'` (daily at
   * 03:00) or `'0/15 8-17 ? * MON-FRI *'`.
   *
   * @param fields minutes, hours, day-of-month, month, day-of-week and year, separated by single spaces (a
   *   whole `cron(...)` expression is taken too)
   */
  public static cronExpression(fields: string): TaskTrigger {
    const bare = /^cron\((.*)\)$/.exec(fields)?.[1] ?? fields;
    return new ScheduleTrigger(ScheduleKind.CRON, `cron(${bare})`);
  }

  /**
   * Runs the task at a fixed rate, for example `TaskTrigger.rate(Duration.hours(6))`: whole minutes, at least one.
   * The first run is when the schedule is created.
   *
   * @param interval the time between two runs
   */
  public static rate(interval: Duration): TaskTrigger {
    return new RateTrigger(interval);
  }

  /**
   * Runs the task once, at a date and time in the task's time zone, for example `'2026-01-01T00:00:00'`.
   *
   * @param dateTime the local date and time, `yyyy-mm-ddThh:mm:ss`
   */
  public static at(dateTime: string): TaskTrigger {
    return new ScheduleTrigger(ScheduleKind.AT, `at(${dateTime})`);
  }

  /**
   * Runs the task on a schedule written as an EventBridge Scheduler expression: `cron(...)`, `rate(...)` or `at(...)`.
   *
   * @param expression the schedule expression, for example `'rate(15 minutes)'`
   */
  public static expression(expression: string): TaskTrigger {
    return new ScheduleTrigger(ScheduleKind.EXPRESSION, expression);
  }

  /**
   * Runs the task whenever an event matches a pattern, for example an object uploaded to a bucket: the
   * "RunTask when work arrives" pattern. Each matching event starts `taskCount` tasks.
   *
   * @param eventPattern the events that start the task, with at least one field
   * @param eventBus the bus the events arrive on
   */
  public static onEvent(eventPattern: events.EventPattern, eventBus?: events.IEventBus): TaskTrigger {
    return new EventTrigger(eventPattern, eventBus);
  }

  /**
   * @internal Fails on an expression or pattern that EventBridge would refuse, naming `prop`.
   */
  public abstract _validate(scope: IConstruct, prop: string): void;

  /**
   * @internal The expression of a schedule trigger, and whether a time zone applies to it (not to a rate).
   */
  public abstract _schedule(): { expression: string; usesTimeZone: boolean } | undefined;

  /**
   * @internal The pattern and bus of an event trigger.
   */
  public abstract _event(): { pattern: events.EventPattern; eventBus?: events.IEventBus } | undefined;
}

/** How a schedule trigger was made: what its expression must be. */
enum ScheduleKind {
  CRON = 'cron',
  AT = 'at',
  EXPRESSION = 'expression',
}

class ScheduleTrigger extends TaskTrigger {
  constructor(private readonly kind: ScheduleKind, private readonly expression: string) {
    super();
  }

  public _validate(scope: IConstruct, prop: string): void {
    if (Token.isUnresolved(this.expression)) return;
    const problem = checkScheduleExpression(this.expression);
    // a cron expression is shown by its fields, as they were given
    const given = this.kind === ScheduleKind.CRON ? this.expression.slice('cron('.length, -1) : this.expression;
    if (problem) validationError(scope, prop, problem, given);
  }

  public _schedule() {
    // a time zone may apply to an expression known only at deploy time
    return { expression: this.expression, usesTimeZone: Token.isUnresolved(this.expression) || !this.expression.startsWith('rate(') };
  }

  public _event() {
    return undefined;
  }
}

function checkScheduleExpression(expression: string): string | undefined {
  if (expression.startsWith('cron(') && expression.endsWith(')')) return checkCronFields(expression.slice('cron('.length, -1));
  if (expression.startsWith('rate(')) return checkRateExpression(expression);
  if (expression.startsWith('at(')) return checkAtExpression(expression);
  return 'a schedule expression `cron(<fields>)`, `rate(<n> <unit>)` or `at(yyyy-mm-ddThh:mm:ss)`';
}

class RateTrigger extends TaskTrigger {
  constructor(private readonly interval: Duration) {
    super();
  }

  public _validate(scope: IConstruct, prop: string): void {
    if (this.interval.isUnresolved()) return;
    const seconds = this.interval.toSeconds({ integral: false });
    if (seconds < 60 || seconds % 60 !== 0) {
      validationError(scope, prop, 'a rate of whole minutes, at least one', this.interval.toHumanString());
    }
  }

  public _schedule() {
    return { expression: `rate(${this.render()})`, usesTimeZone: false };
  }

  public _event() {
    return undefined;
  }

  /** `<n> <unit>` in the largest unit that keeps n whole. */
  private render(): string {
    if (this.interval.isUnresolved()) return `${this.interval.toMinutes()} minutes`;
    const minutes = this.interval.toSeconds() / 60;
    const [value, unit] = minutes % 1440 === 0 ? [minutes / 1440, 'day'] : minutes % 60 === 0 ? [minutes / 60, 'hour'] : [minutes, 'minute'];
    return `${value} ${unit}${value === 1 ? '' : 's'}`;
  }
}

class EventTrigger extends TaskTrigger {
  constructor(private readonly pattern: events.EventPattern, private readonly eventBus?: events.IEventBus) {
    super();
  }

  public _validate(scope: IConstruct, prop: string): void {
    if (!Object.values(this.pattern).some((value) => value !== undefined)) {
      validationError(scope, prop, 'an event pattern with at least one field (for example `source` or `detailType`)', JSON.stringify(this.pattern));
    }
  }

  public _schedule() {
    return undefined;
  }

  public _event() {
    return { pattern: this.pattern, eventBus: this.eventBus };
  }
}

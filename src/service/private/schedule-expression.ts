import { TimeZone } from 'aws-cdk-lib';

/**
 * Checks of EventBridge Scheduler expressions (`cron(...)`, `rate(...)`, `at(...)`) and time zone names. Each
 * check returns what the expression must be, in the words of a validation message, or `undefined` when it is valid.
 *
 * @see https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html
 */

/** One field of a cron expression: its values, names and wildcards, as the EventBridge documentation lists them. */
interface CronField {
  /** The field's name in messages. */
  readonly name: string;
  readonly min: number;
  readonly max: number;
  /** Names for min, min + 1, … (case-insensitive). */
  readonly names?: string[];
  /** The largest increment after `/`; no `/` when absent. */
  readonly maxStep?: number;
  /** What the field allows, for messages. */
  readonly allowed: string;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEK_DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

const MINUTES: CronField = { name: 'minutes', min: 0, max: 59, maxStep: 59, allowed: '0-59 with `, - * /`' };
const HOURS: CronField = { name: 'hours', min: 0, max: 23, maxStep: 23, allowed: '0-23 with `, - * /`' };
const DAY_OF_MONTH: CronField = {
  name: 'day-of-month', min: 1, max: 31, maxStep: 31, allowed: '1-31 with `, - * /`, or `?`, `L`, `LW`, `<day>W`',
};
const MONTH: CronField = { name: 'month', min: 1, max: 12, names: MONTHS, maxStep: 12, allowed: '1-12 or JAN-DEC with `, - * /`' };
const DAY_OF_WEEK: CronField = {
  name: 'day-of-week', min: 1, max: 7, names: WEEK_DAYS, allowed: '1-7 or SUN-SAT with `, - *`, or `?`, `L`, `<day>L`, `<day>#<1-5>`',
};
const YEAR: CronField = { name: 'year', min: 1970, max: 2199, maxStep: 229, allowed: '1970-2199 with `, - * /`' };
const CRON_FIELDS = [MINUTES, HOURS, DAY_OF_MONTH, MONTH, DAY_OF_WEEK, YEAR];

/** What the six fields are, for messages. */
export const CRON_FIELD_NAMES = CRON_FIELDS.map((field) => field.name).join(' ');

/**
 * Checks the six fields of an EventBridge cron expression (the part between `cron(` and `)`): minutes, hours,
 * day-of-month, month, day-of-week and year, with `?` in exactly one of day-of-month and day-of-week.
 */
export function checkCronFields(fields: string): string | undefined {
  const parts = fields.split(' ');
  if (parts.length !== 6 || parts.some((part) => part === '')) {
    return `a cron expression of six fields separated by single spaces (${CRON_FIELD_NAMES})`;
  }
  for (const [index, field] of CRON_FIELDS.entries()) {
    if (!isValidField(parts[index], field)) return `a cron expression whose ${field.name} field is ${field.allowed}`;
  }
  if ((parts[2] === '?') === (parts[4] === '?')) {
    return 'a cron expression with `?` in exactly one of day-of-month and day-of-week';
  }
  return checkCronFires(fields);
}

/** The most days each month has, February's in a leap year. */
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Checks that a cron expression's days of the month exist in at least one of its months: `0 3 31 2 ? *`
 * (31 February) and `0 3 31 4,6 ? *` never fire. Other fields are left to `checkCronFields`; an expression it
 * cannot read passes here.
 */
export function checkCronFires(fields: string): string | undefined {
  const parts = fields.split(' ');
  if (parts.length !== 6) return undefined;
  const dayField = parts[2];
  if (dayField === '?' || dayField === 'L' || dayField === 'LW') return undefined;
  const days = expandField(dayField.replace(/^(\d{1,2})W$/, '$1'), DAY_OF_MONTH);
  const months = expandField(parts[3], MONTH);
  if (days === undefined || months === undefined || days.length === 0 || months.length === 0) return undefined;
  const longest = Math.max(...months.map((month) => DAYS_IN_MONTH[month - 1]));
  if (Math.min(...days) > longest) {
    return `a cron expression that can fire (day-of-month \`${dayField}\` falls in none of the months \`${parts[3]}\`, `
      + `the longest of which has ${longest} days)`;
  }
  return undefined;
}

/** The values of a field (`*`, lists, ranges, steps and names), or `undefined` when it is not that simple. */
function expandField(value: string, field: CronField): number[] | undefined {
  const values: number[] = [];
  for (const item of value.split(',')) {
    const match = /^(?:(\*)|([^-/]+)(?:-([^-/]+))?)(?:\/(\d+))?$/.exec(item);
    if (!match) return undefined;
    const [, star, start, end, step] = match;
    const from = star ? field.min : toNumber(start, field);
    const to = star ? field.max : end !== undefined ? toNumber(end, field) : step !== undefined ? field.max : from;
    const increment = step !== undefined ? Number(step) : 1;
    if (from === undefined || to === undefined || increment < 1 || to < from) return undefined;
    for (let number = from; number <= to; number += increment) values.push(number);
  }
  return values;
}

function toNumber(value: string, field: CronField): number | undefined {
  const index = field.names?.indexOf(value.toUpperCase()) ?? -1;
  if (index >= 0) return field.min + index;
  return /^\d{1,4}$/.test(value) ? Number(value) : undefined;
}

function isValidField(value: string, field: CronField): boolean {
  if (field === DAY_OF_MONTH && (value === '?' || value === 'L' || value === 'LW')) return true;
  if (field === DAY_OF_MONTH && /^\d{1,2}W$/.test(value)) return isValue(value.slice(0, -1), field);
  if (field === DAY_OF_WEEK) {
    if (value === '?' || value === 'L') return true;
    const last = /^(\w+)L$/.exec(value);
    if (last) return isValue(last[1], field);
    const nth = /^(\w+)#[1-5]$/.exec(value);
    if (nth) return isValue(nth[1], field);
  }
  if (value === '*') return true;
  return value.split(',').every((item) => isValidItem(item, field));
}

/** One item of a list: `a`, `a-b`, `a/s`, `a-b/s` or `* /s` (without the space). */
function isValidItem(item: string, field: CronField): boolean {
  const match = /^(?:(\*)|([^-/]+)(?:-([^-/]+))?)(?:\/(\d+))?$/.exec(item);
  if (!match) return false;
  const [, star, start, end, step] = match;
  if (step !== undefined) {
    const increment = Number(step);
    if (field.maxStep === undefined || increment < 1 || increment > field.maxStep) return false;
  } else if (star) {
    return false; // `*` only stands alone as the whole field
  }
  return star !== undefined || (isValue(start, field) && (end === undefined || isValue(end, field)));
}

function isValue(value: string, field: CronField): boolean {
  const index = field.names?.indexOf(value.toUpperCase()) ?? -1;
  if (index >= 0) return true;
  if (!/^\d{1,4}$/.test(value)) return false;
  const number = Number(value);
  return number >= field.min && number <= field.max;
}

/** Checks a rate expression: `rate(<n> <unit>)` with n ≥ 1 and the unit minute(s), hour(s) or day(s), singular exactly when n is 1. */
export function checkRateExpression(expression: string): string | undefined {
  const allowed = 'a rate expression `rate(<n> <unit>)` with a whole n of at least 1 and the unit minute(s), hour(s) '
    + 'or day(s), singular exactly when n is 1';
  const match = /^rate\((\d+) (minute|hour|day)(s?)\)$/.exec(expression);
  if (!match) return allowed;
  const value = Number(match[1]);
  if (value < 1 || (value === 1) !== (match[3] === '')) return allowed;
  return undefined;
}

/** Checks a one-time expression: `at(yyyy-mm-ddThh:mm:ss)`, a date and time that exist. */
export function checkAtExpression(expression: string): string | undefined {
  const allowed = 'a one-time expression `at(yyyy-mm-ddThh:mm:ss)` with a date and time that exist';
  const match = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/.exec(expression);
  if (!match) return allowed;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number);
  // UTC arithmetic only: the result must not depend on the machine's time zone
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  const exists = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
    && date.getUTCHours() === hour && date.getUTCMinutes() === minute && date.getUTCSeconds() === second;
  return exists ? undefined : allowed;
}

/**
 * IANA time zone names that `TimeZone` of aws-cdk-lib has no constant for: the links of the IANA database that
 * ICU lists as zones of their own (for example `Europe/Amsterdam`, `Asia/Calcutta`), and the names of UTC.
 * Frozen here, not read from `Intl` at synth, so that every machine accepts the same names.
 */
const TIME_ZONE_LINKS = [
  'UTC', 'UCT', 'GMT', 'Universal', 'Zulu', 'Greenwich', 'Etc/Universal', 'Etc/Zulu', 'Etc/Greenwich', 'Etc/UCT',
  'Africa/Accra', 'Africa/Addis_Ababa', 'Africa/Asmera', 'Africa/Bamako', 'Africa/Bangui', 'Africa/Banjul',
  'Africa/Blantyre', 'Africa/Brazzaville', 'Africa/Bujumbura', 'Africa/Conakry', 'Africa/Dakar', 'Africa/Dar_es_Salaam',
  'Africa/Djibouti', 'Africa/Douala', 'Africa/Freetown', 'Africa/Gaborone', 'Africa/Harare', 'Africa/Kampala',
  'Africa/Kigali', 'Africa/Kinshasa', 'Africa/Libreville', 'Africa/Lome', 'Africa/Luanda', 'Africa/Lubumbashi',
  'Africa/Lusaka', 'Africa/Malabo', 'Africa/Maseru', 'Africa/Mbabane', 'Africa/Mogadishu', 'Africa/Niamey',
  'Africa/Nouakchott', 'Africa/Ouagadougou', 'Africa/Porto-Novo', 'America/Anguilla', 'America/Antigua',
  'America/Aruba', 'America/Blanc-Sablon', 'America/Buenos_Aires', 'America/Catamarca', 'America/Cayman',
  'America/Coral_Harbour', 'America/Cordoba', 'America/Coyhaique', 'America/Creston', 'America/Curacao',
  'America/Dominica', 'America/Godthab', 'America/Grenada', 'America/Guadeloupe', 'America/Indianapolis',
  'America/Jujuy', 'America/Kralendijk', 'America/Louisville', 'America/Lower_Princes', 'America/Marigot',
  'America/Mendoza', 'America/Montserrat', 'America/Nassau', 'America/Port_of_Spain', 'America/St_Barthelemy',
  'America/St_Kitts', 'America/St_Lucia', 'America/St_Thomas', 'America/St_Vincent', 'America/Tortola',
  'Antarctica/DumontDUrville', 'Antarctica/McMurdo', 'Antarctica/Syowa', 'Antarctica/Vostok', 'Arctic/Longyearbyen',
  'Asia/Aden', 'Asia/Bahrain', 'Asia/Brunei', 'Asia/Calcutta', 'Asia/Katmandu', 'Asia/Kuala_Lumpur', 'Asia/Kuwait',
  'Asia/Muscat', 'Asia/Phnom_Penh', 'Asia/Rangoon', 'Asia/Saigon', 'Asia/Vientiane', 'Atlantic/Faeroe',
  'Atlantic/Reykjavik', 'Atlantic/St_Helena', 'Europe/Amsterdam', 'Europe/Bratislava', 'Europe/Busingen',
  'Europe/Copenhagen', 'Europe/Guernsey', 'Europe/Isle_of_Man', 'Europe/Jersey', 'Europe/Kiev', 'Europe/Ljubljana',
  'Europe/Luxembourg', 'Europe/Mariehamn', 'Europe/Monaco', 'Europe/Oslo', 'Europe/Podgorica', 'Europe/San_Marino',
  'Europe/Sarajevo', 'Europe/Skopje', 'Europe/Stockholm', 'Europe/Vaduz', 'Europe/Vatican', 'Europe/Zagreb',
  'Indian/Antananarivo', 'Indian/Christmas', 'Indian/Cocos', 'Indian/Comoro', 'Indian/Kerguelen', 'Indian/Mahe',
  'Indian/Mayotte', 'Indian/Reunion', 'Pacific/Enderbury', 'Pacific/Funafuti', 'Pacific/Majuro', 'Pacific/Midway',
  'Pacific/Ponape', 'Pacific/Saipan', 'Pacific/Truk', 'Pacific/Wake', 'Pacific/Wallis',
];

let knownTimeZones: Set<string> | undefined;

/** Whether `name` is an IANA time zone name: a constant of aws-cdk-lib's `TimeZone`, or one of `TIME_ZONE_LINKS`. */
export function isKnownTimeZone(name: string): boolean {
  knownTimeZones ??= new Set([
    ...Object.values(TimeZone).filter((value): value is TimeZone => value instanceof TimeZone).map((zone) => zone.timezoneName),
    ...TIME_ZONE_LINKS,
  ]);
  return knownTimeZones.has(name);
}

/**
 * A checker for the ECS cluster query language, as `memberOf` placement constraints use it:
 *
 * ```
 * expression := or
 * or         := and (('or' | '||') and)*
 * and        := not (('and' | '&&') not)*
 * not        := ('not' | '!') not | '(' or ')' | comparison
 * comparison := subject operator [argument]
 * ```
 *
 * Subjects are `attribute:<name>`, `ec2InstanceId`, `agentConnected`, `agentVersion`, `registeredAt`,
 * `runningTasksCount` and `task:group`. Operators are `==`, `!=`, `>`, `>=`, `<`, `<=`, `exists`, `!exists`, `in`,
 * `!in`, `=~` and `!~`, and their word forms (`equals`, `not_equals`, …). `in` and `!in` take a list
 * (`[a, b]`), `exists` and `!exists` nothing, the others one value. A single comparison cannot hold parentheses.
 * The checker finds malformed expressions at synth time; whether an attribute exists is for ECS to decide.
 *
 * @see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/cluster-query-language.html
 */

/** The longest expression ECS accepts in a placement constraint. */
export const MAX_EXPRESSION_LENGTH = 2000;

const OPERATOR_WORDS: Record<string, string> = {
  equals: '==',
  not_equals: '!=',
  greater_than: '>',
  greater_than_equal: '>=',
  less_than: '<',
  less_than_equal: '<=',
  exists: 'exists',
  not_exists: '!exists',
  in: 'in',
  not_in: '!in',
  matches: '=~',
  not_matches: '!~',
};

const MATCHING = ['==', '!=', 'in', '!in', '=~', '!~'] as const;
const ORDERING = ['==', '!=', '>', '>=', '<', '<='] as const;

/** Fixed subjects: the operators each allows, and the shape of its values. */
const SUBJECTS: Record<string, { operators?: readonly string[]; value?: [RegExp, string] }> = {
  'agentConnected': { operators: MATCHING },
  'ec2InstanceId': { operators: MATCHING },
  'agentVersion': { operators: ORDERING, value: [/^\d+\.\d+\.\d+$/, 'a version such as 1.14.5'] },
  'registeredAt': {
    operators: ORDERING,
    value: [/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})?)?$/, 'a date such as 2018-06-18 or 2018-06-18T22:28:28Z'],
  },
  'runningTasksCount': { operators: ORDERING, value: [/^\d+$/, 'a whole number'] },
  'task:group': {},
};

const SUBJECT_LIST = 'attribute:<name>, ec2InstanceId, agentConnected, agentVersion, registeredAt, runningTasksCount or task:group';

class QueryError extends Error {}

/**
 * Checks one cluster query expression.
 *
 * @returns what is wrong with it, in words, or `undefined` when it is well-formed
 */
export function clusterQueryProblem(expression: string): string | undefined {
  if (expression.length > MAX_EXPRESSION_LENGTH) {
    return `at most ${MAX_EXPRESSION_LENGTH} characters, it has ${expression.length}`;
  }
  try {
    new QueryParser(expression).parse();
    return undefined;
  } catch (error) {
    if (error instanceof QueryError) return error.message;
    throw error;
  }
}

/**
 * Whether a well-formed expression can never select an instance of the OS `osType` (`linux` or `windows`): its
 * comparisons of `attribute:ecs.os-type` (`==`, `!=`, `in`, `!in`) decide it to be false whatever the other
 * comparisons are, such as `attribute:ecs.os-type == windows` for `linux`. False for an expression with a problem.
 */
export function clusterQueryExcludesOs(expression: string, osType: string): boolean {
  try {
    return new QueryParser(expression, osType).parse() === false;
  } catch (error) {
    if (error instanceof QueryError) return false;
    throw error;
  }
}

/** A truth value that may be unknown (`undefined`): comparisons of anything but the OS are unknown. */
type Truth = boolean | undefined;

/** The subject whose comparisons `QueryParser` evaluates. */
const OS_TYPE_SUBJECT = 'attribute:ecs.os-type';

/**
 * A recursive-descent parser that throws a `QueryError` at the first problem. Given an OS, it also evaluates the
 * expression for an instance of that OS, with every comparison of another subject unknown.
 */
class QueryParser {
  private pos = 0;

  constructor(private readonly text: string, private readonly osType?: string) {}

  public parse(): Truth {
    this.skipSpace();
    if (this.atEnd()) throw new QueryError('the expression is empty');
    const truth = this.parseOr();
    this.skipSpace();
    if (this.atEnd()) return truth;
    if (this.text[this.pos] === ')') throw new QueryError(`")" at character ${this.pos + 1} closes no "("`);
    throw new QueryError(`"${this.rest()}" follows a complete comparison where and, or or the end was expected`);
  }

  private parseOr(): Truth {
    let truth = this.parseAnd();
    while (this.keyword('or', '||')) {
      const next = this.parseAnd();
      truth = truth === true || next === true ? true : truth === false && next === false ? false : undefined;
    }
    return truth;
  }

  private parseAnd(): Truth {
    let truth = this.parseNot();
    while (this.keyword('and', '&&')) {
      const next = this.parseNot();
      truth = truth === false || next === false ? false : truth === true && next === true ? true : undefined;
    }
    return truth;
  }

  private parseNot(): Truth {
    this.skipSpace();
    if (this.atEnd()) throw new QueryError('the expression ends where a comparison was expected');
    if (this.keyword('not', '!')) {
      const truth = this.parseNot();
      return truth === undefined ? undefined : !truth;
    }
    if (this.text[this.pos] === '(') {
      const open = this.pos;
      this.pos++;
      const truth = this.parseOr();
      this.skipSpace();
      if (this.text[this.pos] !== ')') throw new QueryError(`"(" at character ${open + 1} is never closed`);
      this.pos++;
      return truth;
    }
    return this.parseComparison();
  }

  /** Whether the instance's OS is one of `values`; unknown without an OS. */
  private osIn(values: string[]): Truth {
    if (this.osType === undefined) return undefined;
    return values.some((value) => value.toLowerCase() === this.osType);
  }

  private parseComparison(): Truth {
    const subject = this.take(/^(attribute:[A-Za-z0-9_.\-/\\]{1,128}|task:group|[A-Za-z0-9]+)(?=[\s=!<>~]|$)/);
    const known = subject !== undefined && (subject.startsWith('attribute:') || subject in SUBJECTS);
    if (!known) {
      const word = /^[^\s()]*/.exec(this.rest())![0];
      throw new QueryError(`"${word}" is not a subject (use ${SUBJECT_LIST})`);
    }
    this.skipSpace();
    const symbol = this.take(/^(!exists|!in)(?=[\s[]|$)/) ?? this.take(/^(==|!=|>=|<=|=~|!~|>|<)/);
    const word = symbol === undefined ? this.take(/^[a-z_]+(?=[\s[]|$)/) : undefined;
    const operator = symbol ?? (word !== undefined ? OPERATOR_WORDS[word] : undefined);
    if (operator === undefined) {
      throw new QueryError(`"${subject}" must be followed by an operator (==, !=, >, >=, <, <=, exists, !exists, in, !in, =~ or !~)`
        + (this.atEnd() ? '' : `, not "${/^\S*/.exec(this.rest())![0]}"`));
    }
    const rules = SUBJECTS[subject] ?? {};
    if (rules.operators && !rules.operators.includes(operator)) {
      throw new QueryError(`${subject} cannot be compared with "${operator}" (use ${rules.operators.join(', ')})`);
    }
    const os = subject === OS_TYPE_SUBJECT;
    if (operator === 'exists' || operator === '!exists') return os && this.osType !== undefined ? operator === 'exists' : undefined;
    this.skipSpace();
    if (operator === 'in' || operator === '!in') {
      const values = this.parseList(subject, operator);
      if (!os) return undefined;
      const truth = this.osIn(values);
      return truth === undefined || operator === 'in' ? truth : !truth;
    }
    const value = this.takeValue(/^[^\s()]+/);
    if (value === undefined) throw new QueryError(`"${subject} ${operator}" needs a value`);
    if (rules.value && !rules.value[0].test(value)) {
      throw new QueryError(`${subject} compares with ${rules.value[1]}, not "${value}"`);
    }
    if (!os || (operator !== '==' && operator !== '!=')) return undefined;
    const truth = this.osIn([value]);
    return truth === undefined || operator === '==' ? truth : !truth;
  }

  private parseList(subject: string, operator: string): string[] {
    if (this.text[this.pos] !== '[') throw new QueryError(`"${subject} ${operator}" needs a list such as [a, b]`);
    const open = this.pos;
    this.pos++;
    const values: string[] = [];
    for (;;) {
      this.skipSpace();
      const value = this.takeValue(/^[^\s,[\]()'"]+/);
      if (value === undefined) {
        throw new QueryError(`the list at character ${open + 1} must hold values separated by commas`);
      }
      values.push(value);
      this.skipSpace();
      if (this.text[this.pos] === ',') {
        this.pos++;
        continue;
      }
      if (this.text[this.pos] === ']') {
        this.pos++;
        return values;
      }
      throw new QueryError(`"[" at character ${open + 1} is never closed`);
    }
  }

  /** A quoted value, or a bare one matching `bare`. */
  private takeValue(bare: RegExp): string | undefined {
    const start = this.pos;
    const quoted = this.take(/^('[^']*'|"[^"]*")/);
    if (quoted !== undefined) return quoted.slice(1, -1);
    if (this.text[start] === '\'' || this.text[start] === '"') {
      throw new QueryError(`the quote ${this.text[start]} at character ${start + 1} is never closed`);
    }
    const value = this.take(bare);
    const quote = value === undefined ? -1 : value.search(/['"]/);
    if (value !== undefined && quote >= 0) {
      throw new QueryError(`the quote ${value[quote]} at character ${start + quote + 1} is never closed`);
    }
    return value;
  }

  /** Consumes `word` (followed by a space, `(` or the end) or `symbol`; true if either was there. */
  private keyword(word: string, symbol: string): boolean {
    this.skipSpace();
    const rest = this.rest();
    if (rest.startsWith(symbol)) {
      this.pos += symbol.length;
      return true;
    }
    if (new RegExp(`^${word}(?=[\\s(]|$)`).test(rest)) {
      this.pos += word.length;
      return true;
    }
    return false;
  }

  private take(pattern: RegExp): string | undefined {
    const match = pattern.exec(this.rest());
    if (!match || match[0].length === 0) return undefined;
    this.pos += match[0].length;
    return match[0];
  }

  private skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos])) this.pos++;
  }

  private atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  private rest(): string {
    return this.text.slice(this.pos);
  }
}

/**
 * Parses a Logs Insights query into commands. Anything outside the supported language is a
 * MalformedQueryException naming the construct and its position, as StartQuery answers.
 */
import type { Command, CommandBody, Expr, Projection, SortKey } from './ast.js';
import { malformed } from './errors.js';
import { Lexer, type Token } from './lexer.js';
import { jsRegex } from './regex.js';

/** The most rows `limit` may ask for. */
export const MAX_LIMIT = 10_000;

/** Commands of the language this emulator does not run (named in the error rather than "unexpected"). */
const UNSUPPORTED = new Set(
  [
    'unmask',
    'pattern',
    'diff',
    'unnest',
    'filterIndex',
    'SOURCE',
    'anomaly',
    'lookup',
    'join',
    'countFrequent',
    'count_frequent',
    'fieldsSummary',
  ].map((c) => c.toLowerCase()),
);

/** Words that end an expression, so they are never read as field names there. */
const KEYWORDS = new Set(['and', 'or', 'not', 'like', 'in', 'as', 'by', 'asc', 'desc']);

const COMPARISONS = new Set(['=', '!=', '<', '<=', '>', '>=']);

export function parseQuery(source: string): Command[] {
  return new Parser(source).query();
}

class Parser {
  private readonly lex: Lexer;
  /** End of the last token taken: where the construct being parsed ends. */
  private lastEnd = 0;

  constructor(private readonly source: string) {
    this.lex = new Lexer(source);
  }

  query(): Command[] {
    if (this.lex.peek().kind === 'eof') throw malformed(this.source, 0, 0, 'The query is empty');
    const commands = [this.command()];
    while (this.isOp('|')) {
      this.lex.next();
      commands.push(this.command());
    }
    const t = this.lex.peek();
    if (t.kind !== 'eof') throw this.unexpected(t);
    return commands;
  }

  // --- commands ---

  private command(): Command {
    const t = this.take();
    return { ...this.commandBody(t), start: t.start, end: this.lastEnd };
  }

  private commandBody(t: Token): CommandBody {
    const name = t.kind === 'ident' ? t.value.toLowerCase() : '';
    switch (name) {
      case 'fields':
        return { kind: 'fields', items: this.projections() };
      case 'display':
        return { kind: 'display', items: this.projections() };
      case 'filter':
        return { kind: 'filter', expr: this.expr() };
      case 'parse':
        return this.parseCommand();
      case 'sort':
        return { kind: 'sort', keys: this.list(() => this.sortKey()) };
      case 'limit':
        return { kind: 'limit', count: this.limit() };
      case 'stats':
        return this.stats();
      case 'dedup':
        return { kind: 'dedup', fields: this.list(() => this.fieldRef()) };
    }
    if (UNSUPPORTED.has(name))
      throw malformed(this.source, t.start, t.end, `The command ${t.value} is not supported by this emulator`);
    if (t.kind === 'eof') throw malformed(this.source, t.start, t.end, 'A command is missing');
    throw malformed(this.source, t.start, t.end, `Unexpected command ${t.text}`);
  }

  private take(): Token {
    const t = this.lex.next();
    this.lastEnd = t.end;
    return t;
  }

  private projections(): Projection[] {
    return this.list(() => this.projection());
  }

  private projection(): Projection {
    const expr = this.expr();
    if (!this.isWord('as')) return { expr, name: expr.kind === 'field' ? expr.name : this.textOf(expr) };
    this.take();
    return { expr, name: this.name() };
  }

  private sortKey(): SortKey {
    const expr = this.expr();
    if (this.isWord('desc') || this.isWord('asc')) return { expr, desc: this.take().value.toLowerCase() === 'desc' };
    return { expr, desc: false };
  }

  private limit(): number {
    const t = this.take();
    const n = Number(t.value);
    if (t.kind !== 'number' || !Number.isInteger(n))
      throw malformed(this.source, t.start, t.end, `limit expects a whole number, found ${t.text || 'nothing'}`);
    if (n < 1 || n > MAX_LIMIT)
      throw malformed(this.source, t.start, t.end, `limit must be between 1 and ${MAX_LIMIT}, found ${n}`);
    return n;
  }

  private stats(): Extract<CommandBody, { kind: 'stats' }> {
    const aggregations = this.projections();
    if (!this.isWord('by')) return { kind: 'stats', aggregations, by: [] };
    this.take();
    return { kind: 'stats', aggregations, by: this.projections() };
  }

  private parseCommand(): Extract<CommandBody, { kind: 'parse' }> {
    const next = this.lex.peek();
    // The field is optional: @message by default.
    const source: Expr =
      next.kind === 'string' || next.text === '/'
        ? { kind: 'field', name: '@message', start: next.start, end: next.start }
        : this.fieldRef();
    const re = this.lex.regex();
    if (re) {
      this.lastEnd = re.end;
      const regex = jsRegex(re.value, this.source, re.start, re.end);
      const names = [...re.value.matchAll(/\(\?<([A-Za-z_$][\w$]*)>/g)].map((m) => m[1]!);
      if (names.length === 0)
        throw malformed(this.source, re.start, re.end, 'parse with a regular expression needs a named capturing group');
      return { kind: 'parse', source, regex, names, named: true };
    }
    const glob = this.take();
    if (glob.kind !== 'string')
      throw malformed(this.source, glob.start, glob.end, `parse expects a "pattern" or a /regex/, found ${glob.text}`);
    const wildcards = glob.value.split('*').length - 1;
    if (!this.isWord('as'))
      throw malformed(this.source, glob.start, glob.end, 'parse with a pattern needs "as" and the names of its fields');
    this.take();
    const names = this.list(() => this.name());
    if (names.length !== wildcards)
      throw malformed(
        this.source,
        glob.start,
        this.lastEnd,
        `parse pattern has ${wildcards} wildcards but ${names.length} field names`,
      );
    return { kind: 'parse', source, regex: globRegex(glob.value), names, named: false };
  }

  // --- expressions, loosest first ---

  private expr(): Expr {
    let left = this.and();
    while (this.isWord('or')) {
      this.take();
      const right = this.and();
      left = { kind: 'binary', op: 'or', left, right, start: left.start, end: right.end };
    }
    return left;
  }

  private and(): Expr {
    let left = this.not();
    while (this.isWord('and')) {
      this.take();
      const right = this.not();
      left = { kind: 'binary', op: 'and', left, right, start: left.start, end: right.end };
    }
    return left;
  }

  private not(): Expr {
    if (!this.isWord('not')) return this.comparison();
    const t = this.take();
    const arg = this.not();
    return { kind: 'unary', op: 'not', arg, start: t.start, end: arg.end };
  }

  private comparison(): Expr {
    const left = this.additive();
    const t = this.lex.peek();
    if (t.kind === 'op' && COMPARISONS.has(t.value)) {
      this.take();
      const right = this.additive();
      return { kind: 'binary', op: t.value, left, right, start: left.start, end: right.end };
    }
    if (t.kind === 'op' && t.value === '=~') {
      this.take();
      const pattern = this.regexOrValue();
      return { kind: 'like', negate: false, arg: left, pattern, start: left.start, end: pattern.end };
    }
    let negate = false;
    if (this.isWord('not')) {
      this.take();
      negate = true;
      if (!this.isWord('like') && !this.isWord('in')) throw this.unexpected(this.lex.peek(), 'after not');
    }
    if (this.isWord('like')) {
      this.take();
      const pattern = this.regexOrValue();
      return { kind: 'like', negate, arg: left, pattern, start: left.start, end: pattern.end };
    }
    if (this.isWord('in')) {
      this.take();
      this.expectOp('[');
      const items = this.isOp(']') ? [] : this.list(() => this.additive());
      const close = this.expectOp(']');
      return { kind: 'in', negate, arg: left, items, start: left.start, end: close.end };
    }
    return left;
  }

  private regexOrValue(): Expr {
    const re = this.lex.regex();
    if (!re) return this.additive();
    this.lastEnd = re.end;
    return { kind: 'regex', regex: jsRegex(re.value, this.source, re.start, re.end), start: re.start, end: re.end };
  }

  private additive(): Expr {
    let left = this.multiplicative();
    while (this.isOp('+') || this.isOp('-')) {
      const op = this.take().value;
      const right = this.multiplicative();
      left = { kind: 'binary', op, left, right, start: left.start, end: right.end };
    }
    return left;
  }

  private multiplicative(): Expr {
    let left = this.power();
    while (this.isOp('*') || this.isOp('/') || this.isOp('%')) {
      const op = this.take().value;
      const right = this.power();
      left = { kind: 'binary', op, left, right, start: left.start, end: right.end };
    }
    return left;
  }

  private power(): Expr {
    const left = this.unary();
    if (!this.isOp('^')) return left;
    this.take();
    const right = this.power();
    return { kind: 'binary', op: '^', left, right, start: left.start, end: right.end };
  }

  private unary(): Expr {
    if (!this.isOp('-')) return this.primary();
    const t = this.take();
    const arg = this.unary();
    return { kind: 'unary', op: '-', arg, start: t.start, end: arg.end };
  }

  private primary(): Expr {
    const t = this.lex.peek();
    switch (t.kind) {
      case 'number':
        this.take();
        return { kind: 'literal', value: Number(t.value), start: t.start, end: t.end };
      case 'string':
        this.take();
        return { kind: 'literal', value: t.value, start: t.start, end: t.end };
      case 'duration':
        this.take();
        return {
          kind: 'duration',
          amount: Number(t.value),
          unit: t.text.slice(t.value.length),
          start: t.start,
          end: t.end,
        };
      case 'quoted':
        this.take();
        return { kind: 'field', name: t.value, start: t.start, end: t.end };
      case 'ident': {
        if (KEYWORDS.has(t.value.toLowerCase())) throw this.unexpected(t);
        this.take();
        if (this.isOp('(')) return this.call(t);
        return { kind: 'field', name: t.value, start: t.start, end: t.end };
      }
      case 'op':
        if (t.value === '(') {
          this.take();
          const inner = this.expr();
          const close = this.expectOp(')');
          return { ...inner, start: t.start, end: close.end };
        }
    }
    throw this.unexpected(t);
  }

  private call(name: Token): Expr {
    this.take();
    let star = false;
    let args: Expr[] = [];
    if (this.isOp('*')) {
      this.take();
      star = true;
    } else if (!this.isOp(')')) args = this.list(() => this.expr());
    const close = this.expectOp(')');
    return { kind: 'call', name: name.value, args, star, start: name.start, end: close.end };
  }

  private fieldRef(): Expr {
    const t = this.take();
    if (t.kind === 'quoted' || (t.kind === 'ident' && !KEYWORDS.has(t.value.toLowerCase())))
      return { kind: 'field', name: t.value, start: t.start, end: t.end };
    throw this.unexpected(t, 'where a field name was expected');
  }

  private name(): string {
    const t = this.take();
    if (t.kind === 'ident' || t.kind === 'quoted') return t.value;
    throw this.unexpected(t, 'where a field name was expected');
  }

  // --- helpers ---

  private list<T>(item: () => T): T[] {
    const out = [item()];
    while (this.isOp(',')) {
      this.take();
      out.push(item());
    }
    return out;
  }

  private isOp(op: string): boolean {
    const t = this.lex.peek();
    return t.kind === 'op' && t.value === op;
  }

  private isWord(word: string): boolean {
    const t = this.lex.peek();
    return t.kind === 'ident' && t.value.toLowerCase() === word;
  }

  private expectOp(op: string): Token {
    const t = this.lex.peek();
    if (t.kind !== 'op' || t.value !== op) throw this.unexpected(t, `where ${op} was expected`);
    return this.take();
  }

  private textOf(e: Expr): string {
    return this.source.slice(e.start, e.end).trim();
  }

  private unexpected(t: Token, context = '') {
    const what = t.kind === 'eof' ? 'Unexpected end of query' : `Unexpected symbol found ${t.text}`;
    return malformed(this.source, t.start, t.end, context ? `${what} ${context}` : what);
  }
}

/**
 * A glob pattern as a regex: each `*` a group, lazy so that the literal text after it is found at its
 * first occurrence; a `*` that ends the pattern takes the rest. The pattern may match anywhere.
 */
function globRegex(glob: string): RegExp {
  const parts = glob.split('*').map((p) => p.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'));
  let source = parts[0]!;
  for (let i = 1; i < parts.length; i++)
    source += (i === parts.length - 1 && parts[i] === '' ? '(.*)' : '(.*?)') + parts[i];
  return new RegExp(source, 's');
}

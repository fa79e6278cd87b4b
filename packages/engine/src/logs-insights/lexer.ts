/**
 * Tokens of the Logs Insights query language, read on demand: a `/` is a regex only where the parser
 * expects one (after `like`, `=~`, in `parse`), and division elsewhere, so the parser asks for it.
 */
import { malformed } from './errors.js';

export type TokenKind = 'ident' | 'quoted' | 'string' | 'number' | 'duration' | 'regex' | 'op' | 'eof';

export interface Token {
  kind: TokenKind;
  /** The source text of the token. */
  text: string;
  /** A string's or regex's content, a field's name, an identifier as written, a number's digits. */
  value: string;
  start: number;
  end: number;
}

const OPS = ['=~', '==', '!=', '<=', '>=', '|', ',', '(', ')', '[', ']', '=', '<', '>', '+', '-', '*', '/', '%', '^'];
const IDENT_START = /[A-Za-z_@$]/;
const IDENT_PART = /[A-Za-z0-9_@$.]/;
const DIGIT = /[0-9]/;
const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r' };

export class Lexer {
  private pos = 0;
  private ahead?: Token;

  constructor(readonly source: string) {}

  peek(): Token {
    return (this.ahead ??= this.scan());
  }

  next(): Token {
    const t = this.peek();
    this.ahead = undefined;
    return t;
  }

  /** A `/regex/` at the current position, or undefined when something else comes next. */
  regex(): Token | undefined {
    if (this.ahead) {
      if (this.ahead.text !== '/') return undefined;
      this.pos = this.ahead.start;
      this.ahead = undefined;
    }
    this.skipSpace();
    if (this.source[this.pos] !== '/') return undefined;
    const start = this.pos++;
    let value = '';
    while (this.pos < this.source.length && this.source[this.pos] !== '/') {
      const c = this.source[this.pos++]!;
      // `\/` is a slash in the pattern; every other escape stays for the regex engine.
      if (c === '\\' && this.pos < this.source.length) {
        const d = this.source[this.pos++]!;
        value += d === '/' ? '/' : c + d;
      } else value += c;
    }
    if (this.pos >= this.source.length)
      throw malformed(this.source, start, this.pos, 'Unterminated regular expression');
    this.pos++;
    return { kind: 'regex', text: this.source.slice(start, this.pos), value, start, end: this.pos };
  }

  private skipSpace(): void {
    const s = this.source;
    while (this.pos < s.length) {
      const c = s[this.pos]!;
      if (c === '#') {
        while (this.pos < s.length && s[this.pos] !== '\n') this.pos++;
      } else if (c === ' ' || c === '\t' || c === '\n' || c === '\r') this.pos++;
      else break;
    }
  }

  private token(kind: TokenKind, start: number, value: string): Token {
    return { kind, text: this.source.slice(start, this.pos), value, start, end: this.pos };
  }

  private scan(): Token {
    this.skipSpace();
    const s = this.source;
    const start = this.pos;
    if (start >= s.length) return { kind: 'eof', text: '', value: '', start, end: start };
    const c = s[start]!;
    if (IDENT_START.test(c)) {
      while (this.pos < s.length && IDENT_PART.test(s[this.pos]!)) this.pos++;
      return this.token('ident', start, s.slice(start, this.pos));
    }
    if (DIGIT.test(c) || (c === '.' && DIGIT.test(s[start + 1] ?? ''))) return this.number(start);
    if (c === '"' || c === "'") return this.string(start, c);
    if (c === '`') {
      const end = s.indexOf('`', start + 1);
      if (end < 0) throw malformed(s, start, s.length, 'Unterminated quoted field name');
      this.pos = end + 1;
      return this.token('quoted', start, s.slice(start + 1, end));
    }
    const op = OPS.find((o) => s.startsWith(o, start));
    if (!op) throw malformed(s, start, start + 1, `Unexpected symbol found ${c}`);
    this.pos += op.length;
    return this.token('op', start, op === '==' ? '=' : op);
  }

  private number(start: number): Token {
    const m = /^(\d*\.?\d+|\d+\.)([eE][-+]?\d+)?/.exec(this.source.slice(start))!;
    this.pos += m[0].length;
    // `5m`, `30s`, `1hr`: a period (bin, datefloor).
    const unit = /^[A-Za-z]+/.exec(this.source.slice(this.pos));
    if (unit && !m[2]) {
      this.pos += unit[0].length;
      return this.token('duration', start, m[0]);
    }
    return this.token('number', start, m[0]);
  }

  private string(start: number, quote: string): Token {
    const s = this.source;
    let value = '';
    this.pos++;
    while (this.pos < s.length && s[this.pos] !== quote) {
      const c = s[this.pos++]!;
      if (c === '\\' && this.pos < s.length) {
        const d = s[this.pos++]!;
        value += ESCAPES[d] ?? d;
      } else value += c;
    }
    if (this.pos >= s.length) throw malformed(s, start, s.length, 'Unterminated string');
    this.pos++;
    return this.token('string', start, value);
  }
}

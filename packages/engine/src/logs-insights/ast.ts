/** The syntax tree of a Logs Insights query: a pipeline of commands over expressions. */

interface Span {
  /** Offsets of the construct in the query text, [start, end). */
  start: number;
  end: number;
}

export type Expr =
  | (Span & { kind: 'field'; name: string })
  | (Span & { kind: 'literal'; value: string | number })
  /** A period such as `5m`: only an argument of bin, datefloor and dateceil. */
  | (Span & { kind: 'duration'; amount: number; unit: string })
  | (Span & { kind: 'regex'; regex: RegExp })
  | (Span & { kind: 'call'; name: string; args: Expr[]; star: boolean })
  | (Span & { kind: 'unary'; op: '-' | 'not'; arg: Expr })
  | (Span & { kind: 'binary'; op: string; left: Expr; right: Expr })
  | (Span & { kind: 'like'; negate: boolean; arg: Expr; pattern: Expr })
  | (Span & { kind: 'in'; negate: boolean; arg: Expr; items: Expr[] });

/** An expression with the name its value takes in the results (its alias, else its text). */
export interface Projection {
  expr: Expr;
  name: string;
}

export interface SortKey {
  expr: Expr;
  desc: boolean;
}

/** A command as parsed, before its span is attached. */
export type CommandBody =
  | { kind: 'fields'; items: Projection[] }
  | { kind: 'display'; items: Projection[] }
  | { kind: 'filter'; expr: Expr }
  /** Both forms end up as a regex: a glob's wildcards are its groups, in the order of `names`. */
  | { kind: 'parse'; source: Expr; regex: RegExp; names: string[]; named: boolean }
  | { kind: 'sort'; keys: SortKey[] }
  | { kind: 'limit'; count: number }
  | { kind: 'stats'; aggregations: Projection[]; by: Projection[] }
  | { kind: 'dedup'; fields: Expr[] };

export type Command = Span & CommandBody;

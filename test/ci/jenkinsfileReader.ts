/**
 * A structural reader of declarative Jenkinsfiles for the tests: Groovy's tokens (identifiers,
 * numbers, the four quoted string forms with GString interpolation, comments, brackets) and the
 * nesting of `name(args) { block }` statements a declarative pipeline is made of. It refuses what
 * Groovy refuses at this level (an unterminated string or comment, a bracket closed by the wrong
 * one or never closed) with the line. Written here because no sound Groovy parser installs from npm
 * without Java: npm-groovy-lint runs CodeNarc on a JVM, and tree-sitter-groovy 0.1.2's WASM grammar
 * rejects valid Groovy (an empty string `''`) and reads an `if` block as a closure.
 */

export type Token =
  | { readonly kind: "ident" | "number" | "punct"; readonly text: string; readonly line: number }
  | { readonly kind: "string"; readonly text: string; readonly quote: "'" | '"' | "'''" | '"""'; readonly interpolated: boolean; readonly line: number }
  | { readonly kind: "newline"; readonly text: "\n"; readonly line: number };

export type StringToken = Extract<Token, { kind: "string" }>;

/** One statement: the tokens before its trailing block (if any) and that block's statements. */
export interface Statement {
  readonly head: readonly Token[];
  readonly block?: readonly Statement[];
  readonly line: number;
}

export class GroovySyntaxError extends Error {
  constructor(message: string, readonly line: number) {
    super(`line ${line}: ${message}`);
  }
}

const OPENERS: Record<string, string> = { "(": ")", "[": "]", "{": "}" };
const CLOSERS = new Set(Object.values(OPENERS));

class Lexer {
  private i = 0;
  private line = 1;
  readonly tokens: Token[] = [];

  constructor(private readonly src: string) {}

  run(): Token[] {
    while (this.i < this.src.length) this.next();
    return this.tokens;
  }

  private peek(offset = 0): string {
    return this.src[this.i + offset] ?? "";
  }

  private startsWith(s: string): boolean {
    return this.src.startsWith(s, this.i);
  }

  private next(): void {
    const c = this.peek();
    if (c === "\n") {
      this.tokens.push({ kind: "newline", text: "\n", line: this.line });
      this.line++;
      this.i++;
    } else if (c === " " || c === "\t" || c === "\r") {
      this.i++;
    } else if (this.startsWith("//")) {
      while (this.i < this.src.length && this.peek() !== "\n") this.i++;
    } else if (this.startsWith("/*")) {
      const end = this.src.indexOf("*/", this.i + 2);
      if (end < 0) throw new GroovySyntaxError("unterminated /* comment", this.line);
      this.line += this.src.slice(this.i, end).split("\n").length - 1;
      this.i = end + 2;
    } else if (this.startsWith("'''") || this.startsWith('"""')) {
      this.string(this.src.slice(this.i, this.i + 3) as "'''" | '"""');
    } else if (c === "'" || c === '"') {
      this.string(c);
    } else if (/[A-Za-z_$]/.test(c)) {
      this.word("ident", /[\w$]/);
    } else if (/[0-9]/.test(c)) {
      this.word("number", /[\w.]/);
    } else {
      this.tokens.push({ kind: "punct", text: c, line: this.line });
      this.i++;
    }
  }

  private word(kind: "ident" | "number", more: RegExp): void {
    const start = this.i;
    this.i++;
    while (this.i < this.src.length && more.test(this.peek())) this.i++;
    this.tokens.push({ kind, text: this.src.slice(start, this.i), line: this.line });
  }

  /** A quoted string; in double-quoted forms `${...}` (balanced) and `$name` interpolate. */
  private string(quote: "'" | '"' | "'''" | '"""'): void {
    const line = this.line;
    const multiline = quote.length === 3;
    const double = quote.startsWith('"');
    let text = "";
    let interpolated = false;
    this.i += quote.length;
    for (;;) {
      if (this.i >= this.src.length) throw new GroovySyntaxError(`unterminated ${quote} string`, line);
      if (this.startsWith(quote)) {
        this.i += quote.length;
        break;
      }
      const c = this.peek();
      if (c === "\n") {
        if (!multiline) throw new GroovySyntaxError(`unterminated ${quote} string`, line);
        this.line++;
      }
      if (c === "\\") {
        text += c + this.peek(1);
        if (this.peek(1) === "\n") this.line++;
        this.i += 2;
        continue;
      }
      if (double && c === "$" && this.peek(1) === "{") {
        interpolated = true;
        const start = this.i;
        this.i++; // the $; the loop reads from the {
        let depth = 0;
        do {
          const d = this.peek();
          if (d === "") throw new GroovySyntaxError("unterminated ${ in a string", line);
          if (d === "{") depth++;
          if (d === "}") depth--;
          if (d === "\n") this.line++;
          this.i++;
        } while (depth > 0);
        text += this.src.slice(start, this.i);
        continue;
      }
      if (double && c === "$" && /[A-Za-z_]/.test(this.peek(1))) interpolated = true;
      text += c;
      this.i++;
    }
    this.tokens.push({ kind: "string", text, quote, interpolated, line });
  }
}

/** Groovy's tokens of `source`, brackets checked for balance. */
export function tokenize(source: string): Token[] {
  const tokens = new Lexer(source).run();
  const open: Token[] = [];
  for (const t of tokens) {
    if (t.kind !== "punct") continue;
    if (OPENERS[t.text]) open.push(t);
    else if (CLOSERS.has(t.text)) {
      const last = open.pop();
      if (!last) throw new GroovySyntaxError(`"${t.text}" closes nothing`, t.line);
      if (OPENERS[last.text] !== t.text) throw new GroovySyntaxError(`"${t.text}" closes "${last.text}" opened on line ${last.line}`, t.line);
    }
  }
  const unclosed = open.pop();
  if (unclosed) throw new GroovySyntaxError(`"${unclosed.text}" is never closed`, unclosed.line);
  return tokens;
}

/**
 * The statements of a block: separated by newlines or `;` outside brackets; a `{` outside
 * brackets opens the statement's block, which ends it.
 */
function statements(tokens: readonly Token[], from: number, to: number): Statement[] {
  const out: Statement[] = [];
  let head: Token[] = [];
  let depth = 0;
  const flush = (block?: Statement[]): void => {
    if (head.length > 0 || block) out.push({ head, block, line: head[0]?.line ?? 0 });
    head = [];
  };
  for (let i = from; i < to; i++) {
    const t = tokens[i]!;
    if (depth === 0 && (t.kind === "newline" || (t.kind === "punct" && t.text === ";"))) {
      flush();
      continue;
    }
    if (depth === 0 && t.kind === "punct" && t.text === "{") {
      const close = matching(tokens, i);
      const line = head[0]?.line ?? t.line;
      out.push({ head, block: statements(tokens, i + 1, close), line });
      head = [];
      i = close;
      continue;
    }
    if (t.kind === "punct" && (t.text === "(" || t.text === "[" || t.text === "{")) depth++;
    if (t.kind === "punct" && CLOSERS.has(t.text)) depth--;
    if (t.kind !== "newline") head.push(t);
  }
  flush();
  return out;
}

function matching(tokens: readonly Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind !== "punct") continue;
    if (OPENERS[t.text]) depth++;
    if (CLOSERS.has(t.text) && --depth === 0) return i;
  }
  throw new GroovySyntaxError("unbalanced block", tokens[open]!.line);
}

/** The statement tree of a Groovy source. */
export function parseGroovy(source: string): Statement[] {
  const tokens = tokenize(source);
  return statements(tokens, 0, tokens.length);
}

/** The statement's name: its first identifier when it starts with one (`stage`, `sh`, `env.X` gives `env`). */
export function nameOf(s: Statement): string | undefined {
  const first = s.head[0];
  return first?.kind === "ident" ? first.text : undefined;
}

/** The first string among a statement's head tokens: `stage('Build')` gives `Build`. */
export function firstString(s: Statement): StringToken | undefined {
  return s.head.find((t): t is StringToken => t.kind === "string");
}

/** The named children of a block. */
export function children(s: Statement | undefined, name?: string): Statement[] {
  return (s?.block ?? []).filter((c) => name === undefined || nameOf(c) === name);
}

export function child(s: Statement | undefined, name: string): Statement | undefined {
  return children(s, name)[0];
}

/** Every statement under `roots`, depth first, with the stage it is in (if any). */
export function* walk(roots: readonly Statement[], stage?: string): Generator<{ statement: Statement; stage?: string }> {
  for (const s of roots) {
    const here = nameOf(s) === "stage" && s.block ? firstString(s)?.text ?? stage : stage;
    yield { statement: s, stage: here };
    if (s.block) yield* walk(s.block, here);
  }
}

/** The string value of `key: '...'` among tokens, e.g. credentialsId. */
export function namedStrings(tokens: readonly Token[], key: string): StringToken[] {
  const out: StringToken[] = [];
  for (let i = 0; i + 2 < tokens.length; i++) {
    const [k, colon, v] = [tokens[i]!, tokens[i + 1]!, tokens[i + 2]!];
    if (k.kind === "ident" && k.text === key && colon.text === ":" && v.kind === "string") out.push(v);
  }
  return out;
}

/** Strings passed as `name('...')`, e.g. credentials('id'). */
export function callStrings(tokens: readonly Token[], name: string): StringToken[] {
  const out: StringToken[] = [];
  for (let i = 0; i + 2 < tokens.length; i++) {
    const [n, open, v] = [tokens[i]!, tokens[i + 1]!, tokens[i + 2]!];
    if (n.kind === "ident" && n.text === name && open.text === "(" && v.kind === "string") out.push(v);
  }
  return out;
}

export interface ShStep {
  readonly script: StringToken;
  readonly stage?: string;
}

/**
 * Every `sh` step: `sh '...'`, `sh(script: '...', ...)` or `sh('...')`, wherever it stands (inside
 * withCredentials, dir, script blocks, or an assignment's right-hand side).
 */
export function shSteps(roots: readonly Statement[]): ShStep[] {
  const out: ShStep[] = [];
  for (const { statement, stage } of walk(roots)) {
    const h = statement.head;
    for (let i = 0; i < h.length; i++) {
      const t = h[i]!;
      if (t.kind !== "ident" || t.text !== "sh" || h[i - 1]?.text === ".") continue;
      const next = h[i + 1];
      if (next?.kind === "string") out.push({ script: next, stage });
      else if (next?.text === "(") {
        const scriptArg = namedStrings(h.slice(i), "script")[0];
        const positional = h[i + 2]?.kind === "string" ? (h[i + 2] as StringToken) : undefined;
        const script = scriptArg ?? positional;
        if (!script) throw new GroovySyntaxError("sh step without a literal script", t.line);
        out.push({ script, stage });
      }
    }
  }
  return out;
}

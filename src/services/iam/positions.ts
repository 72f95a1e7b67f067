/**
 * Where each statement of a policy document sits in its text, for the simulator's
 * StartPosition/EndPosition. AWS reports the position just after the statement's opening
 * and closing braces (a streaming parser's location after each token): lines from 1,
 * columns from 1, so a statement whose `{` is the 37th character of line 1 starts at
 * column 38. A small scanner over the JSON text, since JSON.parse keeps no positions.
 */

/** A line and column as the IAM simulator reports them. */
export interface Position {
  Line: number;
  Column: number;
}

/** The start and end of one statement. */
export interface Span {
  start: Position;
  end: Position;
}

class Scanner {
  readonly #text: string;
  i = 0;

  constructor(text: string) {
    this.#text = text;
  }

  // A method, not a getter: the character changes as the scanner moves.
  char(): string | undefined {
    return this.#text[this.i];
  }

  skipSpace(): void {
    while (this.i < this.#text.length && /\s/.test(this.#text[this.i] as string)) this.i++;
  }

  string(): string {
    let out = '';
    this.i++;
    while (this.i < this.#text.length && this.#text[this.i] !== '"') {
      if (this.#text[this.i] === '\\') {
        out += this.#text[this.i + 1] ?? '';
        this.i += 2;
      } else {
        out += this.#text[this.i++];
      }
    }
    this.i++;
    return out;
  }

  // Skips any JSON value; returns [start, end] offsets of objects (end = closing brace).
  value(): [number, number] | undefined {
    this.skipSpace();
    const c = this.char();
    if (c === '"') {
      this.string();
      return undefined;
    }
    if (c === '{' || c === '[') {
      const start = this.i;
      const close = c === '{' ? '}' : ']';
      this.i++;
      this.skipSpace();
      while (this.i < this.#text.length && this.char() !== close) {
        if (c === '{') {
          this.skipSpace();
          this.string();
          this.skipSpace();
          this.i++; // ':'
        }
        this.value();
        this.skipSpace();
        if (this.char() === ',') this.i++;
        this.skipSpace();
      }
      const end = this.i;
      this.i++;
      return c === '{' ? [start, end] : undefined;
    }
    while (this.i < this.#text.length && !/[,}\]\s]/.test(this.char() as string)) this.i++;
    return undefined;
  }
}

function position(text: string, offset: number): Position {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { Line: line, Column: offset - lineStart + 2 };
}

/** The spans of the document's statements, by index in its Statement element; [] if it cannot tell. */
export function statementSpans(text: string): Span[] {
  try {
    const s = new Scanner(text);
    s.skipSpace();
    if (s.char() !== '{') return [];
    s.i++;
    const found: Array<[number, number]> = [];
    for (;;) {
      s.skipSpace();
      if (s.char() !== '"') break;
      const name = s.string();
      s.skipSpace();
      s.i++; // ':'
      s.skipSpace();
      if (name === 'Statement' && s.char() === '[') {
        s.i++;
        for (;;) {
          s.skipSpace();
          if (s.char() === ']' || s.char() === undefined) break;
          const span = s.value();
          if (span !== undefined) found.push(span);
          s.skipSpace();
          if (s.char() === ',') s.i++;
        }
        s.i++;
      } else {
        const span = s.value();
        if (name === 'Statement' && span !== undefined) found.push(span);
      }
      s.skipSpace();
      if (s.char() === ',') s.i++;
    }
    return found.map(([a, b]) => ({ start: position(text, a), end: position(text, b) }));
  } catch {
    return [];
  }
}

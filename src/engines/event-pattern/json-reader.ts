// A streaming JSON reader that behaves like the Jackson parser AWS's rule compiler (Ruler)
// reads patterns with: the same token sequence, the same lazily-finished strings, the same
// input position after each token (so errors point where AWS points) and Jackson's wording
// for malformed JSON. Only what Ruler's compiler touches is emulated.
import { PatternIssue, jacksonLocation, type SourceLocation } from './errors.js';

/** Token kinds, named as Jackson names them. */
export type Token =
  | 'START_OBJECT'
  | 'END_OBJECT'
  | 'START_ARRAY'
  | 'END_ARRAY'
  | 'FIELD_NAME'
  | 'VALUE_STRING'
  | 'VALUE_NUMBER'
  | 'VALUE_TRUE'
  | 'VALUE_FALSE'
  | 'VALUE_NULL'
  | 'EOF';

interface Context {
  readonly kind: 'root' | 'object' | 'array';
  entries: number;
  readonly start: SourceLocation;
}

const VALID = "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')";
const ID_START = /[\p{L}\p{Nl}$_\p{Sc}]/u;
const ID_PART = /[\p{L}\p{Nl}\p{Nd}\p{Mn}\p{Mc}\p{Pc}$_\p{Sc}]/u;
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/** Jackson's description of a character inside `Unexpected character (…)`. */
function charDesc(code: number): string {
  if (code < 32 || (code >= 127 && code <= 159)) return `(CTRL-CHAR, code ${code})`;
  const c = String.fromCharCode(code);
  return code > 255 ? `'${c}' (code ${code} / 0x${code.toString(16)})` : `'${c}' (code ${code})`;
}

/** Reads one JSON text token by token, keeping Jackson's notion of the current location. */
export class JsonReader {
  /** The text being read. */
  readonly source: string;
  #pos = 0;
  #row = 1;
  #rowStart = 0;
  #stack: Context[] = [{ kind: 'root', entries: 0, start: { line: 1, column: 0 } }];
  #current: Token | undefined;
  #pending: Token | undefined;
  #incomplete = false;
  #text = '';
  #name = '';

  constructor(source: string) {
    this.source = source;
  }

  /** Jackson's current location: just past the input consumed so far. */
  location(offset = 0): SourceLocation {
    return { line: this.#row, column: this.#pos + offset - this.#rowStart + 1 };
  }

  /** Throws a syntax-level issue at the current location. */
  fail(message: string, offset = 0): never {
    throw new PatternIssue('json', message, [this.location(offset)]);
  }

  /** The name of the current field (valid after FIELD_NAME and its value). */
  currentName(): string {
    return this.#name;
  }

  /** Text of the current token; finishes reading a string Jackson left incomplete. */
  text(): string {
    if (this.#incomplete) this.#finishString();
    switch (this.#current) {
      case 'FIELD_NAME': return this.#name;
      case 'START_OBJECT': return '{';
      case 'END_OBJECT': return '}';
      case 'START_ARRAY': return '[';
      case 'END_ARRAY': return ']';
      case 'EOF': case undefined: return 'null';
      default: return this.#text;
    }
  }

  /** Advances to the next token. */
  next(): Token {
    if (this.#current === 'FIELD_NAME') {
      const t = this.#pending ?? 'EOF';
      this.#pending = undefined;
      if (t === 'START_OBJECT' || t === 'START_ARRAY') this.#push(t, -1);
      return (this.#current = t);
    }
    if (this.#incomplete) this.#finishString();
    let c = this.#skipWs();
    const ctx = this.#ctx();
    if (c < 0) {
      if (ctx.kind !== 'root') {
        const what = ctx.kind === 'object' ? 'Object' : 'Array';
        this.fail(`Unexpected end-of-input: expected close marker for ${what} (start marker at ${jacksonLocation(this.source, ctx.start)})`);
      }
      return (this.#current = 'EOF');
    }
    if (c === 0x5d || c === 0x7d) return (this.#current = this.#close(c));
    if (ctx.kind !== 'root' && ctx.entries > 0) {
      if (c !== 0x2c) this.fail(`Unexpected character (${charDesc(c)}): was expecting comma to separate ${ctx.kind === 'object' ? 'Object' : 'Array'} entries`, -1);
      c = this.#skipWs();
      if (c < 0) this.fail(`Unexpected end-of-input within/between ${ctx.kind === 'object' ? 'Object' : 'Array'} entries`);
    }
    ctx.entries++;
    if (ctx.kind === 'object') {
      if (c !== 0x22) this.fail(`Unexpected character (${charDesc(c)}): was expecting double-quote to start field name`, -1);
      this.#name = this.#readString();
      c = this.#skipWs();
      if (c !== 0x3a) {
        if (c < 0) this.fail('Unexpected end-of-input within/between Object entries');
        this.fail(`Unexpected character (${charDesc(c)}): was expecting a colon to separate field name and value`, -1);
      }
      c = this.#skipWs();
      if (c < 0) this.fail('Unexpected end-of-input within/between Object entries');
      this.#pending = this.#valueStart(c, false);
      return (this.#current = 'FIELD_NAME');
    }
    return (this.#current = this.#valueStart(c, true));
  }

  #ctx(): Context {
    return this.#stack[this.#stack.length - 1] as Context;
  }

  #push(t: Token, back: number): void {
    const start = this.location(back);
    this.#stack.push({ kind: t === 'START_OBJECT' ? 'object' : 'array', entries: 0, start });
  }

  #close(c: number): Token {
    const ctx = this.#ctx();
    const want = c === 0x5d ? 'array' : 'object';
    if (ctx.kind !== want) {
      const expected = ctx.kind === 'object' ? "'}'" : ctx.kind === 'array' ? "']'" : 'a value';
      const what = ctx.kind === 'object' ? 'Object' : 'Array';
      const tail = ctx.kind === 'root' ? '' : ` (for ${what} starting at ${jacksonLocation(this.source, ctx.start)})`;
      this.fail(`Unexpected close marker '${String.fromCharCode(c)}': expected ${expected}${tail}`, -1);
    }
    this.#stack.pop();
    return c === 0x5d ? 'END_ARRAY' : 'END_OBJECT';
  }

  /** Reads the first character of a value; strings stay incomplete, as in Jackson. */
  #valueStart(c: number, push: boolean): Token {
    switch (c) {
      case 0x22:
        this.#incomplete = true;
        return 'VALUE_STRING';
      case 0x5b: case 0x7b: {
        const t: Token = c === 0x5b ? 'START_ARRAY' : 'START_OBJECT';
        if (push) this.#push(t, -1);
        return t;
      }
      case 0x74: return this.#literal('true', 'VALUE_TRUE');
      case 0x66: return this.#literal('false', 'VALUE_FALSE');
      case 0x6e: return this.#literal('null', 'VALUE_NULL');
      default:
        if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.#number(c);
        if (ID_START.test(String.fromCharCode(c))) this.#invalidToken(String.fromCharCode(c));
        return this.fail(`Unexpected character (${charDesc(c)}): expected a valid value ${VALID}`, -1);
    }
  }

  #literal(word: string, t: Token): Token {
    for (let i = 1; i < word.length; i++) {
      if (this.source.charCodeAt(this.#pos) !== word.charCodeAt(i)) {
        if (this.#pos >= this.source.length) this.fail('Unexpected end-of-input in a value');
        this.#invalidToken(word.slice(0, i));
      }
      this.#pos++;
    }
    const after = this.source.charAt(this.#pos);
    if (after !== '' && ID_PART.test(after)) this.#invalidToken(word);
    this.#text = word;
    return t;
  }

  #invalidToken(matched: string): never {
    let tok = matched;
    while (this.#pos < this.source.length && ID_PART.test(this.source.charAt(this.#pos))) tok += this.source.charAt(this.#pos++);
    return this.fail(`Unrecognized token '${tok}': was expecting ${VALID}`);
  }

  #number(first: number): Token {
    const s = this.source;
    const start = this.#pos - 1;
    const digit = (i: number) => { const d = s.charCodeAt(i); return d >= 0x30 && d <= 0x39; };
    const bad = (what: string) => {
      const code = s.charCodeAt(this.#pos);
      if (Number.isNaN(code)) this.fail('Unexpected end-of-input in a value');
      this.#pos++;
      this.fail(`Unexpected character (${charDesc(code)}) in numeric value: ${what}`);
    };
    if (first === 0x2d && !digit(this.#pos)) bad('expected digit (0-9) to follow minus sign, for valid numeric value');
    const intStart = first === 0x2d ? this.#pos : start;
    while (digit(this.#pos)) this.#pos++;
    if (s.charCodeAt(intStart) === 0x30 && this.#pos - intStart > 1) this.fail('Invalid numeric value: Leading zeroes not allowed');
    if (s.charCodeAt(this.#pos) === 0x2e) {
      this.#pos++;
      if (!digit(this.#pos)) bad('Decimal point not followed by a digit');
      while (digit(this.#pos)) this.#pos++;
    }
    const e = s.charCodeAt(this.#pos);
    if (e === 0x65 || e === 0x45) {
      this.#pos++;
      const sign = s.charCodeAt(this.#pos);
      if (sign === 0x2b || sign === 0x2d) this.#pos++;
      if (!digit(this.#pos)) bad('Exponent indicator not followed by a digit');
      while (digit(this.#pos)) this.#pos++;
    }
    this.#text = s.slice(start, this.#pos);
    return 'VALUE_NUMBER';
  }

  #finishString(): void {
    this.#incomplete = false;
    this.#text = this.#readString();
  }

  /** Reads string content after the opening quote, through the closing quote. */
  #readString(): string {
    const s = this.source;
    let out = '';
    let run = this.#pos;
    for (;;) {
      if (this.#pos >= s.length) this.fail('Unexpected end-of-input: was expecting closing quote for a string value');
      const c = s.charCodeAt(this.#pos++);
      if (c === 0x22) return out + s.slice(run, this.#pos - 1);
      if (c === 0x5c) {
        out += s.slice(run, this.#pos - 1);
        const e = s.charAt(this.#pos++);
        if (e === 'u') {
          const hex = s.slice(this.#pos, this.#pos + 4);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('Unexpected character in character escape sequence: expected a hex-digit');
          out += String.fromCharCode(parseInt(hex, 16));
          this.#pos += 4;
        } else if (e in ESCAPES) {
          out += ESCAPES[e];
        } else {
          if (e === '') this.fail('Unexpected end-of-input in character escape sequence');
          this.fail(`Unrecognized character escape ${charDesc(e.charCodeAt(0))}`);
        }
        run = this.#pos;
      } else if (c < 32) {
        this.fail(`Illegal unquoted character (${charDesc(c)}): has to be escaped using backslash to be included in string value`);
      }
    }
  }

  /** Skips whitespace and consumes the next character; -1 at end of input. */
  #skipWs(): number {
    const s = this.source;
    while (this.#pos < s.length) {
      const c = s.charCodeAt(this.#pos++);
      if (c === 0x20 || c === 0x09) continue;
      if (c === 0x0a || c === 0x0d) {
        if (c === 0x0d && s.charCodeAt(this.#pos) === 0x0a) this.#pos++;
        this.#row++;
        this.#rowStart = this.#pos;
        continue;
      }
      return c;
    }
    return -1;
  }
}

/** A parsed JSON value with object entries kept in order (duplicate keys: last wins on lookup). */
export type JsonValue = null | boolean | number | string | JsonValue[] | { readonly entries: ReadonlyArray<readonly [string, JsonValue]> };

/** Parses a whole JSON value with {@link JsonReader}'s rules (for SNS structural checks). */
export function readJsonValue(reader: JsonReader, first: Token = reader.next()): JsonValue {
  switch (first) {
    case 'START_OBJECT': {
      const entries: Array<readonly [string, JsonValue]> = [];
      for (let t = reader.next(); t !== 'END_OBJECT'; t = reader.next()) {
        const name = reader.currentName();
        entries.push([name, readJsonValue(reader)]);
      }
      return { entries };
    }
    case 'START_ARRAY': {
      const items: JsonValue[] = [];
      for (let t = reader.next(); t !== 'END_ARRAY'; t = reader.next()) items.push(readJsonValue(reader, t));
      return items;
    }
    case 'VALUE_STRING': return reader.text();
    case 'VALUE_NUMBER': return Number(reader.text());
    case 'VALUE_TRUE': return true;
    case 'VALUE_FALSE': return false;
    case 'VALUE_NULL': return null;
    default: return reader.fail('Unexpected end-of-input');
  }
}

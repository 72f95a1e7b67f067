/**
 * Tokens of DynamoDB's expression language (condition, update, projection and key condition
 * expressions share them), with positions so syntax errors can quote the text near the
 * offending token the way AWS does.
 */
import { invalidExpression } from './errors.js';

export type TokenKind = 'name' | 'attrName' | 'attrValue' | 'index' | 'punct' | 'eof';

export interface Token {
  kind: TokenKind;
  text: string;
  pos: number;
}

const PUNCT = ['<>', '<=', '>=', '=', '<', '>', '(', ')', '[', ']', ',', '.', '+', '-'];

// Character classes by char code (ASCII ranges; every request's expressions pass here).
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isWordStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

function isWordChar(c: number): boolean {
  return isWordStart(c) || isDigit(c);
}

/** What `\s` matches: ASCII blanks directly, anything above ASCII through the regex. */
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || (c > 127 && /\s/.test(String.fromCharCode(c)));
}

/** Splits an expression into tokens; `kind` names the expression in errors ("ConditionExpression"). */
export function tokenize(src: string, kind: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const code = src.charCodeAt(i);
    if (isSpace(code)) { i++; continue; }
    const c = src[i]!;
    const start = i;
    if (c === '#' || c === ':') {
      i++;
      while (i < src.length && isWordChar(src.charCodeAt(i))) i++;
      if (i === start + 1) throw syntaxError(kind, src, [...out, { kind: 'punct', text: c, pos: start }], out.length);
      out.push({ kind: c === '#' ? 'attrName' : 'attrValue', text: src.slice(start, i), pos: start });
      continue;
    }
    if (isDigit(code)) {
      while (i < src.length && isDigit(src.charCodeAt(i))) i++;
      out.push({ kind: 'index', text: src.slice(start, i), pos: start });
      continue;
    }
    if (isWordStart(code)) {
      while (i < src.length && isWordChar(src.charCodeAt(i))) i++;
      out.push({ kind: 'name', text: src.slice(start, i), pos: start });
      continue;
    }
    const p = PUNCT.find((x) => src.startsWith(x, i));
    if (!p) throw invalidExpression(kind, `Invalid character encountered; character: ${JSON.stringify(c)}`);
    out.push({ kind: 'punct', text: p, pos: start });
    i += p.length;
  }
  out.push({ kind: 'eof', text: '<EOF>', pos: src.length });
  return out;
}

/** AWS's "Syntax error; token: …, near: …" quoting the previous, current and next tokens. */
export function syntaxError(kind: string, src: string, tokens: Token[], at: number) {
  const tok = tokens[at]!;
  const from = tokens[Math.max(0, at - 1)]!.pos;
  const next = tokens[at + 1];
  const to = tok.kind === 'eof' ? src.length : next ? (next.kind === 'eof' ? src.length : next.pos + next.text.length) : src.length;
  return invalidExpression(kind, `Syntax error; token: ${JSON.stringify(tok.text)}, near: ${JSON.stringify(src.slice(from, to))}`);
}

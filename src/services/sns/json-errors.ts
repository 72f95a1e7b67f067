/**
 * SNS parses policy attributes (FilterPolicy, RedrivePolicy, DeliveryPolicy) with Jackson and
 * quotes its parser message in the error. This reproduces Jackson's wording and position for
 * the usual mistakes (a bare word, an unquoted field name, a missing comma or colon, an
 * unterminated string), so scripts that match on AWS's text keep working.
 */

const SOURCE = 'REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled)';
const VALUE = "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')";

class JsonProblem extends Error {}

/** Parses `text` as JSON, or throws an Error whose message is `failed to parse JSON. <Jackson's message>`. */
export function parseJsonLikeJackson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`failed to parse JSON. ${jacksonMessage(text)}`);
  }
}

/** Jackson's message for the first problem in `text`. */
export function jacksonMessage(text: string): string {
  let i = 0;
  const at = (pos: number): string => {
    const before = text.slice(0, pos);
    const line = before.split('\n').length;
    const column = pos - (before.lastIndexOf('\n') + 1) + 1;
    return `\n at [Source: ${SOURCE}; line: ${line}, column: ${column}]`;
  };
  const char = (pos: number): string => {
    const c = text[pos]!;
    return `'${c}' (code ${c.codePointAt(0)})`;
  };
  const fail = (msg: string, pos: number): never => { throw new JsonProblem(`${msg}${at(pos)}`); };
  const ws = (): void => { while (i < text.length && /\s/.test(text[i]!)) i++; };
  const eof = (what: string): never => fail(`Unexpected end-of-input: ${what}`, text.length);
  const string = (): void => {
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    if (i >= text.length) eof('was expecting closing quote for a string value');
    i++;
  };
  const value = (): void => {
    ws();
    if (i >= text.length) eof(`expected a valid value ${VALUE}`);
    const c = text[i]!;
    if (c === '{') return object();
    if (c === '[') return array();
    if (c === '"') return string();
    if (/[-0-9]/.test(c)) { while (i < text.length && /[-+0-9.eE]/.test(text[i]!)) i++; return; }
    if (/[A-Za-z_$]/.test(c)) {
      const start = i;
      while (i < text.length && /[A-Za-z0-9_$]/.test(text[i]!)) i++;
      const word = text.slice(start, i);
      if (word !== 'true' && word !== 'false' && word !== 'null') fail(`Unrecognized token '${word}': was expecting ${VALUE}`, i);
      return;
    }
    fail(`Unexpected character (${char(i)}): expected a valid value ${VALUE}`, i);
  };
  const object = (): void => {
    i++;
    ws();
    if (text[i] === '}') { i++; return; }
    for (;;) {
      ws();
      if (i >= text.length) eof('expected close marker for Object');
      if (text[i] !== '"') fail(`Unexpected character (${char(i)}): was expecting double-quote to start field name`, i);
      string();
      ws();
      if (text[i] !== ':') i >= text.length ? eof('expected close marker for Object') : fail(`Unexpected character (${char(i)}): was expecting a colon to separate field name and value`, i);
      i++;
      value();
      ws();
      if (text[i] === ',') { i++; continue; }
      if (text[i] === '}') { i++; return; }
      if (i >= text.length) eof('expected close marker for Object');
      fail(`Unexpected character (${char(i)}): was expecting comma to separate Object entries`, i);
    }
  };
  const array = (): void => {
    i++;
    ws();
    if (text[i] === ']') { i++; return; }
    for (;;) {
      value();
      ws();
      if (text[i] === ',') { i++; continue; }
      if (text[i] === ']') { i++; return; }
      if (i >= text.length) eof('expected close marker for Array');
      fail(`Unexpected character (${char(i)}): was expecting comma to separate Array entries`, i);
    }
  };
  try {
    value();
    ws();
    if (i < text.length) fail(`Unexpected character (${char(i)}): expected end of input`, i);
  } catch (e) {
    if (e instanceof JsonProblem) return e.message;
    throw e;
  }
  return `Unexpected character: invalid JSON${at(0)}`;
}

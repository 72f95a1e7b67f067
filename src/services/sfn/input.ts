/** Execution input checks with the messages AWS gives (its JSON parser's wording). */
import { AwsError } from '../../core/errors.js';
import type { Json } from '../../engines/states/json.js';

function invalidInput(detail: string): AwsError {
  return new AwsError('InvalidExecutionInput', `Invalid State Machine Execution Input: '${detail}'`, 400);
}

/** Parses execution input, refusing what is not JSON as AWS words it. */
export function parseExecutionInput(text: string): Json {
  if (text.trim() === '') throw invalidInput('Invalid execution input.');
  try {
    return JSON.parse(text) as Json;
  } catch {
    const t = text.trimStart();
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(t);
    if (word) throw invalidInput(`Unrecognized token '${word[0]}': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')`);
    const m = /^\{\s*([^"\s}])/.exec(t);
    if (m) throw invalidInput(`Unexpected character ('${m[1]}' (code ${m[1]!.charCodeAt(0)})): was expecting double-quote to start field name`);
    throw invalidInput('Invalid execution input.');
  }
}

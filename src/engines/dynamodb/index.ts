/**
 * The DynamoDB engine: exact decimal numbers, attribute values (validation, ordering, size),
 * and the expression language (parse, evaluate, update, project, key conditions). Pure: no
 * I/O, no wire knowledge; errors are {@link DynamoValidation} with AWS's message text.
 */
export type { Condition, Path, Placeholders, UpdateAction } from './ast.js';
export { addDecimal, canonicalNumber, compareDecimal, compareNumberText, formatDecimal, parseDecimal } from './decimal.js';
export { DynamoValidation } from './errors.js';
export { evaluate, project, resolvePath } from './evaluate.js';
export { analyzeKeyCondition, rangeMatches, type KeyCondition, type KeySchemaInfo } from './key-condition.js';
export { parseCondition, parseProjection, parseUpdate } from './parser.js';
export { applyUpdate } from './update.js';
export {
  checkItem, checkValue, cloneItem, cloneValue, compareScalars, compareStrings, itemSize, keyToken, typeOf, valuesEqual,
  type AttributeValue, type Item, type TypeName,
} from './values.js';

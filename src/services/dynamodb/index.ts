import type { ServiceDefinition } from '../types.js';

/** Not built yet: every operation of the model answers not-implemented. */
const dynamodb: ServiceDefinition = { name: 'dynamodb', handlers: {} };

export default dynamodb;

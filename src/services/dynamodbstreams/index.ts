import type { ServiceDefinition } from '../types.js';

/** Not built yet: every operation of the model answers not-implemented. */
const dynamodbstreams: ServiceDefinition = { name: 'dynamodbstreams', handlers: {} };

export default dynamodbstreams;

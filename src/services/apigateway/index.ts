import type { ServiceDefinition } from '../types.js';

/** Not built yet: every operation of the model answers not-implemented. */
const apigateway: ServiceDefinition = { name: 'apigateway', handlers: {} };

export default apigateway;

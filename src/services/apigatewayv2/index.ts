import type { ServiceDefinition } from '../types.js';

/** Not built yet: every operation of the model answers not-implemented. */
const apigatewayv2: ServiceDefinition = { name: 'apigatewayv2', handlers: {} };

export default apigatewayv2;

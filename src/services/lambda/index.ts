import type { ServiceDefinition } from '../types.js';

/** Not built yet: every operation of the model answers not-implemented. */
const lambda: ServiceDefinition = { name: 'lambda', handlers: {} };

export default lambda;

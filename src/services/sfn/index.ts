import type { ServiceDefinition } from '../types.js';

/** Not built yet: every operation of the model answers not-implemented. */
const sfn: ServiceDefinition = { name: 'sfn', handlers: {} };

export default sfn;

import type { ServiceDefinition } from '../types.js';

/** Not built yet: every operation of the model answers not-implemented. */
const logs: ServiceDefinition = { name: 'logs', handlers: {} };

export default logs;

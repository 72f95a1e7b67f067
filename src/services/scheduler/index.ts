import type { ServiceDefinition } from '../types.js';

/** Not built yet: every operation of the model answers not-implemented. */
const scheduler: ServiceDefinition = { name: 'scheduler', handlers: {} };

export default scheduler;

import type { ServiceDefinition } from '../types.js';

/** Not built yet: every operation of the model answers not-implemented. */
const events: ServiceDefinition = { name: 'events', handlers: {} };

export default events;

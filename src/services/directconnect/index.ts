import type { ServiceDefinition } from '../types.js';

/** Not built yet: every operation of the model answers not-implemented. */
const directconnect: ServiceDefinition = { name: 'directconnect', handlers: {} };

export default directconnect;

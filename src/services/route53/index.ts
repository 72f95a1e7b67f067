import type { ServiceDefinition } from '../types.js';

/** Not built yet: every operation of the model answers not-implemented. */
const route53: ServiceDefinition = { name: 'route53', handlers: {} };

export default route53;

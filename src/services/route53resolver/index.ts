import type { ServiceDefinition } from '../types.js';

/** Not built yet: every operation of the model answers not-implemented. */
const route53resolver: ServiceDefinition = { name: 'route53resolver', handlers: {} };

export default route53resolver;

import type { ServiceDefinition } from '../types.js';

/** Not built yet: every operation of the model answers not-implemented. */
const ec2: ServiceDefinition = { name: 'ec2', handlers: {} };

export default ec2;

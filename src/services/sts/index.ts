import type { ServiceDefinition } from '../types.js';
import { getCallerIdentity } from './provider.js';

const sts: ServiceDefinition = {
  name: 'sts',
  handlers: {
    GetCallerIdentity: getCallerIdentity,
  },
};

export default sts;

import type { ServiceDefinition } from '../types.js';
import { assumeRole } from './assume-role.js';
import { decodeAuthorizationMessageHandler } from './auth-message.js';
import { restoreSessions } from './credentials.js';
import { getFederationToken, getSessionToken } from './federation.js';
import { getAccessKeyInfo, getCallerIdentity } from './provider.js';

const sts: ServiceDefinition = {
  name: 'sts',
  handlers: {
    AssumeRole: assumeRole,
    // Loaded on first use: JWT verification (jose) is heavy and most users never call it.
    AssumeRoleWithWebIdentity: async (input, ctx) => (await import('./web-identity.js')).assumeRoleWithWebIdentity(input, ctx),
    DecodeAuthorizationMessage: decodeAuthorizationMessageHandler,
    GetAccessKeyInfo: getAccessKeyInfo,
    GetCallerIdentity: getCallerIdentity,
    GetFederationToken: getFederationToken,
    GetSessionToken: getSessionToken,
  },
  install(host) {
    // Sessions issued before a restart (with a data directory) are valid again.
    restoreSessions(host);
  },
};

export default sts;

import type { ServiceDefinition } from '../types.js';
import { decodeAuthorizationMessageHandler } from './auth-message.js';
import { restoreSessions } from './credentials.js';
import { getAccessKeyInfo, getCallerIdentity } from './provider.js';

const sts: ServiceDefinition = {
  name: 'sts',
  handlers: {
    // Loaded on first use: issuing sessions needs the IAM policy engine (trust and session
    // policies), which GetCallerIdentity, the usual first call, does not.
    AssumeRole: async (input, ctx) => (await import('./assume-role.js')).assumeRole(input, ctx),
    // JWT verification (jose) is heavy and most users never call it.
    AssumeRoleWithWebIdentity: async (input, ctx) => (await import('./web-identity.js')).assumeRoleWithWebIdentity(input, ctx),
    DecodeAuthorizationMessage: decodeAuthorizationMessageHandler,
    GetAccessKeyInfo: getAccessKeyInfo,
    GetCallerIdentity: getCallerIdentity,
    GetFederationToken: async (input, ctx) => (await import('./federation.js')).getFederationToken(input, ctx),
    GetSessionToken: async (input, ctx) => (await import('./federation.js')).getSessionToken(input, ctx),
  },
  install(host) {
    // Sessions issued before a restart (with a data directory) are valid again.
    restoreSessions(host);
  },
};

export default sts;

import type { ServiceDefinition } from '../types.js';
import * as accounts from './accounts.js';
import { orgDirectory } from './directory.js';
import * as handshakes from './handshakes.js';
import * as org from './organization.js';
import * as ous from './ous.js';
import * as policies from './policies.js';

/** AWS Organizations: accounts, OUs, policies (SCP, RCP, tag), invitations, delegated admins. */
const organizations: ServiceDefinition = {
  name: 'organizations',
  handlers: {
    AcceptHandshake: handshakes.acceptHandshake,
    AttachPolicy: policies.attachPolicyHandler,
    CancelHandshake: handshakes.cancelHandshake,
    CreateAccount: accounts.createAccountHandler,
    CreateOrganization: org.createOrganizationHandler,
    CreateOrganizationalUnit: ous.createOrganizationalUnit,
    CreatePolicy: policies.createPolicyHandler,
    DeclineHandshake: handshakes.declineHandshake,
    DeleteOrganization: org.deleteOrganization,
    DeleteOrganizationalUnit: ous.deleteOrganizationalUnit,
    DeletePolicy: policies.deletePolicyHandler,
    DeregisterDelegatedAdministrator: org.deregisterDelegatedAdministrator,
    DescribeAccount: accounts.describeAccount,
    DescribeCreateAccountStatus: accounts.describeCreateAccountStatus,
    DescribeEffectivePolicy: policies.describeEffectivePolicy,
    DescribeHandshake: handshakes.describeHandshake,
    DescribeOrganization: org.describeOrganization,
    DescribeOrganizationalUnit: ous.describeOrganizationalUnit,
    DescribePolicy: policies.describePolicy,
    DetachPolicy: policies.detachPolicyHandler,
    DisableAWSServiceAccess: org.disableAwsServiceAccess,
    DisablePolicyType: org.disablePolicyTypeHandler,
    EnableAWSServiceAccess: org.enableAwsServiceAccess,
    EnablePolicyType: org.enablePolicyTypeHandler,
    InviteAccountToOrganization: handshakes.inviteAccountToOrganization,
    LeaveOrganization: org.leaveOrganization,
    ListAWSServiceAccessForOrganization: org.listAwsServiceAccess,
    ListAccounts: accounts.listAccounts,
    ListAccountsForParent: accounts.listAccountsForParent,
    ListChildren: ous.listChildren,
    ListCreateAccountStatus: accounts.listCreateAccountStatus,
    ListDelegatedAdministrators: org.listDelegatedAdministrators,
    ListDelegatedServicesForAccount: org.listDelegatedServicesForAccount,
    ListHandshakesForAccount: handshakes.listHandshakesForAccount,
    ListHandshakesForOrganization: handshakes.listHandshakesForOrganization,
    ListOrganizationalUnitsForParent: ous.listOrganizationalUnitsForParent,
    ListParents: ous.listParents,
    ListPolicies: policies.listPolicies,
    ListPoliciesForTarget: policies.listPoliciesForTarget,
    ListRoots: org.listRoots,
    ListTagsForResource: org.listTagsForResource,
    ListTargetsForPolicy: policies.listTargetsForPolicy,
    MoveAccount: accounts.moveAccountHandler,
    RegisterDelegatedAdministrator: org.registerDelegatedAdministrator,
    RemoveAccountFromOrganization: org.removeAccountFromOrganization,
    TagResource: org.tagResource,
    UntagResource: org.untagResource,
    UpdateOrganizationalUnit: ous.updateOrganizationalUnit,
    UpdatePolicy: policies.updatePolicyHandler,
  },
  install(host) {
    host.ports.org = orgDirectory(host.stores);
  },
};

export default organizations;

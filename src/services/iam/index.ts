/**
 * IAM: users, groups, roles, managed and inline policies, access keys (real ones), instance
 * profiles, identity providers, account settings and the policy simulator. IAM is global:
 * its state lives per account in region `''`. Loading it fills the IamDirectory port.
 */
import type { ServiceDefinition, ServiceHost } from '../types.js';
import * as account from './account.js';
import * as keys from './access-keys.js';
import * as attach from './attach.js';
import * as boundaries from './boundaries.js';
import * as credentials from './credentials.js';
import { IamDirectoryImpl } from './directory.js';
import * as groups from './groups.js';
import * as inline from './inline.js';
import * as profiles from './instance-profiles.js';
import * as login from './login.js';
import * as mfa from './mfa.js';
import * as policies from './policies.js';
import * as providers from './providers.js';
import * as reports from './reports.js';
import * as roles from './roles.js';
import * as serverCerts from './server-certs.js';
import * as simulate from './simulate.js';
import { iamState } from './store.js';
import * as users from './users.js';

function install(host: ServiceHost): void {
  const directory = new IamDirectoryImpl(host.stores, host.clock);
  host.ports.iam = directory;
  host.ports.resourceTags.set('iam', (arn) => directory.resourceTags(arn));
  // Keys made before a restart (with a data directory) sign requests again.
  for (const { account: id } of host.stores.accountsRegions('iam')) {
    keys.registerStoredKeys(iamState(host.stores, id), (accessKeyId, secretAccessKey, principal) =>
      host.identities.register({ accessKeyId, secretAccessKey, principal }));
  }
}

const iam: ServiceDefinition = {
  name: 'iam',
  install,
  handlers: {
    CreateUser: users.createUser,
    GetUser: users.getUserHandler,
    ListUsers: users.listUsers,
    UpdateUser: users.updateUser,
    DeleteUser: users.deleteUser,
    TagUser: users.tagUser,
    UntagUser: users.untagUser,
    ListUserTags: users.listUserTags,
    PutUserPermissionsBoundary: boundaries.putUserPermissionsBoundary,
    DeleteUserPermissionsBoundary: boundaries.deleteUserPermissionsBoundary,

    CreateGroup: groups.createGroup,
    GetGroup: groups.getGroupHandler,
    ListGroups: groups.listGroups,
    UpdateGroup: groups.updateGroup,
    DeleteGroup: groups.deleteGroup,
    AddUserToGroup: groups.addUserToGroup,
    RemoveUserFromGroup: groups.removeUserFromGroup,
    ListGroupsForUser: groups.listGroupsForUser,

    CreateRole: roles.createRole,
    GetRole: roles.getRoleHandler,
    ListRoles: roles.listRoles,
    UpdateRole: roles.updateRole,
    UpdateRoleDescription: roles.updateRoleDescription,
    UpdateAssumeRolePolicy: roles.updateAssumeRolePolicy,
    DeleteRole: roles.deleteRole,
    TagRole: roles.tagRole,
    UntagRole: roles.untagRole,
    ListRoleTags: roles.listRoleTags,
    PutRolePermissionsBoundary: boundaries.putRolePermissionsBoundary,
    DeleteRolePermissionsBoundary: boundaries.deleteRolePermissionsBoundary,
    CreateServiceLinkedRole: roles.createServiceLinkedRole,
    DeleteServiceLinkedRole: roles.deleteServiceLinkedRole,
    GetServiceLinkedRoleDeletionStatus: roles.getServiceLinkedRoleDeletionStatus,

    PutUserPolicy: inline.putUserPolicy,
    GetUserPolicy: inline.getUserPolicy,
    DeleteUserPolicy: inline.deleteUserPolicy,
    ListUserPolicies: inline.listUserPolicies,
    PutGroupPolicy: inline.putGroupPolicy,
    GetGroupPolicy: inline.getGroupPolicy,
    DeleteGroupPolicy: inline.deleteGroupPolicy,
    ListGroupPolicies: inline.listGroupPolicies,
    PutRolePolicy: inline.putRolePolicy,
    GetRolePolicy: inline.getRolePolicy,
    DeleteRolePolicy: inline.deleteRolePolicy,
    ListRolePolicies: inline.listRolePolicies,

    AttachUserPolicy: attach.attachUserPolicy,
    DetachUserPolicy: attach.detachUserPolicy,
    ListAttachedUserPolicies: attach.listAttachedUserPolicies,
    AttachGroupPolicy: attach.attachGroupPolicy,
    DetachGroupPolicy: attach.detachGroupPolicy,
    ListAttachedGroupPolicies: attach.listAttachedGroupPolicies,
    AttachRolePolicy: attach.attachRolePolicy,
    DetachRolePolicy: attach.detachRolePolicy,
    ListAttachedRolePolicies: attach.listAttachedRolePolicies,

    CreatePolicy: policies.createPolicy,
    GetPolicy: policies.getPolicy,
    DeletePolicy: policies.deletePolicy,
    ListPolicies: policies.listPolicies,
    CreatePolicyVersion: policies.createPolicyVersion,
    GetPolicyVersion: policies.getPolicyVersion,
    ListPolicyVersions: policies.listPolicyVersions,
    DeletePolicyVersion: policies.deletePolicyVersion,
    SetDefaultPolicyVersion: policies.setDefaultPolicyVersion,
    ListEntitiesForPolicy: policies.listEntitiesForPolicy,
    TagPolicy: policies.tagPolicy,
    UntagPolicy: policies.untagPolicy,
    ListPolicyTags: policies.listPolicyTags,

    CreateAccessKey: keys.createAccessKey,
    UpdateAccessKey: keys.updateAccessKey,
    DeleteAccessKey: keys.deleteAccessKey,
    ListAccessKeys: keys.listAccessKeys,
    GetAccessKeyLastUsed: keys.getAccessKeyLastUsed,
    CreateServiceSpecificCredential: keys.createServiceSpecificCredential,
    ListServiceSpecificCredentials: keys.listServiceSpecificCredentials,
    UpdateServiceSpecificCredential: keys.updateServiceSpecificCredential,
    ResetServiceSpecificCredential: keys.resetServiceSpecificCredential,
    DeleteServiceSpecificCredential: keys.deleteServiceSpecificCredential,

    UploadSSHPublicKey: credentials.uploadSSHPublicKey,
    GetSSHPublicKey: credentials.getSSHPublicKey,
    ListSSHPublicKeys: credentials.listSSHPublicKeys,
    UpdateSSHPublicKey: credentials.updateSSHPublicKey,
    DeleteSSHPublicKey: credentials.deleteSSHPublicKey,
    UploadSigningCertificate: credentials.uploadSigningCertificate,
    ListSigningCertificates: credentials.listSigningCertificates,
    UpdateSigningCertificate: credentials.updateSigningCertificate,
    DeleteSigningCertificate: credentials.deleteSigningCertificate,

    CreateVirtualMFADevice: mfa.createVirtualMFADevice,
    EnableMFADevice: mfa.enableMFADevice,
    ResyncMFADevice: mfa.resyncMFADevice,
    DeactivateMFADevice: mfa.deactivateMFADevice,
    DeleteVirtualMFADevice: mfa.deleteVirtualMFADevice,
    GetMFADevice: mfa.getMFADevice,
    ListMFADevices: mfa.listMFADevices,
    ListVirtualMFADevices: mfa.listVirtualMFADevices,
    TagMFADevice: mfa.tagMFADevice,
    UntagMFADevice: mfa.untagMFADevice,
    ListMFADeviceTags: mfa.listMFADeviceTags,

    CreateLoginProfile: login.createLoginProfile,
    GetLoginProfile: login.getLoginProfile,
    UpdateLoginProfile: login.updateLoginProfile,
    DeleteLoginProfile: login.deleteLoginProfile,
    ChangePassword: login.changePassword,

    CreateInstanceProfile: profiles.createInstanceProfile,
    GetInstanceProfile: profiles.getInstanceProfileHandler,
    DeleteInstanceProfile: profiles.deleteInstanceProfile,
    ListInstanceProfiles: profiles.listInstanceProfiles,
    ListInstanceProfilesForRole: profiles.listInstanceProfilesForRole,
    AddRoleToInstanceProfile: profiles.addRoleToInstanceProfile,
    RemoveRoleFromInstanceProfile: profiles.removeRoleFromInstanceProfile,
    TagInstanceProfile: profiles.tagInstanceProfile,
    UntagInstanceProfile: profiles.untagInstanceProfile,
    ListInstanceProfileTags: profiles.listInstanceProfileTags,

    CreateOpenIDConnectProvider: providers.createOpenIDConnectProvider,
    GetOpenIDConnectProvider: providers.getOpenIDConnectProvider,
    DeleteOpenIDConnectProvider: providers.deleteOpenIDConnectProvider,
    ListOpenIDConnectProviders: providers.listOpenIDConnectProviders,
    AddClientIDToOpenIDConnectProvider: providers.addClientIDToOpenIDConnectProvider,
    RemoveClientIDFromOpenIDConnectProvider: providers.removeClientIDFromOpenIDConnectProvider,
    UpdateOpenIDConnectProviderThumbprint: providers.updateOpenIDConnectProviderThumbprint,
    TagOpenIDConnectProvider: providers.tagOpenIDConnectProvider,
    UntagOpenIDConnectProvider: providers.untagOpenIDConnectProvider,
    ListOpenIDConnectProviderTags: providers.listOpenIDConnectProviderTags,
    CreateSAMLProvider: providers.createSAMLProvider,
    GetSAMLProvider: providers.getSAMLProvider,
    UpdateSAMLProvider: providers.updateSAMLProvider,
    DeleteSAMLProvider: providers.deleteSAMLProvider,
    ListSAMLProviders: providers.listSAMLProviders,
    TagSAMLProvider: providers.tagSAMLProvider,
    UntagSAMLProvider: providers.untagSAMLProvider,
    ListSAMLProviderTags: providers.listSAMLProviderTags,

    UploadServerCertificate: serverCerts.uploadServerCertificate,
    GetServerCertificate: serverCerts.getServerCertificate,
    ListServerCertificates: serverCerts.listServerCertificates,
    UpdateServerCertificate: serverCerts.updateServerCertificate,
    DeleteServerCertificate: serverCerts.deleteServerCertificate,
    TagServerCertificate: serverCerts.tagServerCertificate,
    UntagServerCertificate: serverCerts.untagServerCertificate,
    ListServerCertificateTags: serverCerts.listServerCertificateTags,

    CreateAccountAlias: account.createAccountAlias,
    DeleteAccountAlias: account.deleteAccountAlias,
    ListAccountAliases: account.listAccountAliases,
    UpdateAccountPasswordPolicy: account.updateAccountPasswordPolicy,
    GetAccountPasswordPolicy: account.getAccountPasswordPolicy,
    DeleteAccountPasswordPolicy: account.deleteAccountPasswordPolicy,
    SetSecurityTokenServicePreferences: account.setSecurityTokenServicePreferences,
    GetAccountSummary: account.getAccountSummary,
    GetAccountAuthorizationDetails: account.getAccountAuthorizationDetails,
    GenerateCredentialReport: reports.generateCredentialReport,
    GetCredentialReport: reports.getCredentialReport,
    ListPoliciesGrantingServiceAccess: reports.listPoliciesGrantingServiceAccess,

    SimulatePrincipalPolicy: simulate.simulatePrincipalPolicy,
    SimulateCustomPolicy: simulate.simulateCustomPolicy,
    GetContextKeysForPrincipalPolicy: simulate.getContextKeysForPrincipalPolicy,
    GetContextKeysForCustomPolicy: simulate.getContextKeysForCustomPolicy,
  },
};

export default iam;

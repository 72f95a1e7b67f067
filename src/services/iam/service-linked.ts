/**
 * Service-linked roles as AWS makes them: for each service principal, the role's name, the
 * AWS managed policy (under `/aws-service-role/`) attached to it, whether a custom suffix is
 * accepted, and the description AWS gives it. Recorded from AWS (CreateServiceLinkedRole
 * for each service); services not listed get `AWSServiceRoleFor<Name>` and no policy.
 */

/** [service, role name, policy name, custom suffix allowed, description] */
type Row = [service: string, roleName: string, policy: string, suffix?: boolean, description?: string];

const ROWS: Row[] = [
  ['accountdiscovery.ssm.amazonaws.com', 'AWSServiceRoleForAmazonSSM_AccountDiscovery', 'AWSSystemsManagerAccountDiscoveryServicePolicy'],
  ['acm.amazonaws.com', 'AWSServiceRoleForCertificateManager', 'CertificateManagerServiceRolePolicy'],
  ['appmesh.amazonaws.com', 'AWSServiceRoleForAppMesh', 'AWSAppMeshServiceRolePolicy'],
  ['autoscaling-plans.amazonaws.com', 'AWSServiceRoleForAutoScalingPlans_EC2AutoScaling', 'AWSAutoScalingPlansEC2AutoScalingPolicy'],
  ['autoscaling.amazonaws.com', 'AWSServiceRoleForAutoScaling', 'AutoScalingServiceRolePolicy', true],
  ['backup.amazonaws.com', 'AWSServiceRoleForBackup', 'AWSBackupServiceLinkedRolePolicyForBackup'],
  ['batch.amazonaws.com', 'AWSServiceRoleForBatch', 'BatchServiceRolePolicy'],
  ['cassandra.application-autoscaling.amazonaws.com', 'AWSServiceRoleForApplicationAutoScaling_CassandraTable', 'AWSApplicationAutoscalingCassandraTablePolicy'],
  ['cks.kms.amazonaws.com', 'AWSServiceRoleForKeyManagementServiceCustomKeyStores', 'AWSKeyManagementServiceCustomKeyStoresServiceRolePolicy'],
  ['cloudtrail.amazonaws.com', 'AWSServiceRoleForCloudTrail', 'CloudTrailServiceRolePolicy'],
  ['codestar-notifications.amazonaws.com', 'AWSServiceRoleForCodeStarNotifications', 'AWSCodeStarNotificationsServiceRolePolicy'],
  ['config.amazonaws.com', 'AWSServiceRoleForConfig', 'AWSConfigServiceRolePolicy'],
  ['connect.amazonaws.com', 'AWSServiceRoleForAmazonConnect', 'AmazonConnectServiceLinkedRolePolicy', true],
  ['dms-fleet-advisor.amazonaws.com', 'AWSServiceRoleForDMSFleetAdvisor', 'AWSDMSFleetAdvisorServiceRolePolicy'],
  ['dms.amazonaws.com', 'AWSServiceRoleForDMSServerless', 'AWSDMSServerlessServiceRolePolicy'],
  ['docdb-elastic.amazonaws.com', 'AWSServiceRoleForDocDB-Elastic', 'AmazonDocDB-ElasticServiceRolePolicy'],
  ['ec2-instance-connect.amazonaws.com', 'AWSServiceRoleForEc2InstanceConnect', 'Ec2InstanceConnectEndpoint'],
  ['ec2.application-autoscaling.amazonaws.com', 'AWSServiceRoleForApplicationAutoScaling_EC2SpotFleetRequest', 'AWSApplicationAutoscalingEC2SpotFleetRequestPolicy'],
  ['ecr.amazonaws.com', 'AWSServiceRoleForECRTemplate', 'ECRTemplateServiceRolePolicy'],
  ['ecs.amazonaws.com', 'AWSServiceRoleForECS', 'AmazonECSServiceRolePolicy'],
  ['eks-connector.amazonaws.com', 'AWSServiceRoleForAmazonEKSConnector', 'AmazonEKSConnectorServiceRolePolicy'],
  ['eks-fargate.amazonaws.com', 'AWSServiceRoleForAmazonEKSForFargate', 'AmazonEKSForFargateServiceRolePolicy'],
  ['eks-nodegroup.amazonaws.com', 'AWSServiceRoleForAmazonEKSNodegroup', 'AWSServiceRoleForAmazonEKSNodegroup'],
  ['eks.amazonaws.com', 'AWSServiceRoleForAmazonEKS', 'AmazonEKSServiceRolePolicy'],
  ['elasticache.amazonaws.com', 'AWSServiceRoleForElastiCache', 'ElastiCacheServiceRolePolicy'],
  ['elasticbeanstalk.amazonaws.com', 'AWSServiceRoleForElasticBeanstalk', 'AWSElasticBeanstalkServiceRolePolicy'],
  ['elasticfilesystem.amazonaws.com', 'AWSServiceRoleForAmazonElasticFileSystem', 'AmazonElasticFileSystemServiceRolePolicy'],
  ['elasticloadbalancing.amazonaws.com', 'AWSServiceRoleForElasticLoadBalancing', 'AWSElasticLoadBalancingServiceRolePolicy'],
  ['email.cognito-idp.amazonaws.com', 'AWSServiceRoleForAmazonCognitoIdpEmailService', 'AmazonCognitoIdpEmailServiceRolePolicy'],
  ['emr-containers.amazonaws.com', 'AWSServiceRoleForAmazonEMRContainers', 'AmazonEMRContainersServiceRolePolicy'],
  ['emrwal.amazonaws.com', 'AWSServiceRoleForEMRWAL', 'EMRDescribeClusterPolicyForEMRWAL'],
  ['fis.amazonaws.com', 'AWSServiceRoleForFIS', 'AmazonFISServiceRolePolicy'],
  ['grafana.amazonaws.com', 'AWSServiceRoleForAmazonGrafana', 'AmazonGrafanaServiceLinkedRolePolicy'],
  ['imagebuilder.amazonaws.com', 'AWSServiceRoleForImageBuilder', 'AWSServiceRoleForImageBuilder'],
  ['iotmanagedintegrations.amazonaws.com', 'AWSServiceRoleForIoTManagedIntegrations', 'AWSIoTManagedIntegrationsRolePolicy'],
  ['kafka.amazonaws.com', 'AWSServiceRoleForKafka', 'KafkaServiceRolePolicy'],
  ['kafkaconnect.amazonaws.com', 'AWSServiceRoleForKafkaConnect', 'KafkaConnectServiceRolePolicy'],
  ['lakeformation.amazonaws.com', 'AWSServiceRoleForLakeFormationDataAccess', 'LakeFormationDataAccessServiceRolePolicy'],
  ['lex.amazonaws.com', 'AWSServiceRoleForLexBots', 'AmazonLexBotPolicy'],
  ['lexv2.amazonaws.com', 'AWSServiceRoleForLexV2Bots', 'AmazonLexV2BotPolicy', true],
  ['lightsail.amazonaws.com', 'AWSServiceRoleForLightsail', 'LightsailExportAccess'],
  ['m2.amazonaws.com', 'AWSServiceRoleForAWSM2', 'AWSM2ServicePolicy'],
  ['memorydb.amazonaws.com', 'AWSServiceRoleForMemoryDB', 'MemoryDBServiceRolePolicy'],
  ['mq.amazonaws.com', 'AWSServiceRoleForAmazonMQ', 'AmazonMQServiceRolePolicy'],
  ['mrk.kms.amazonaws.com', 'AWSServiceRoleForKeyManagementServiceMultiRegionKeys', 'AWSKeyManagementServiceMultiRegionKeysServiceRolePolicy'],
  ['notifications.amazonaws.com', 'AWSServiceRoleForAwsUserNotifications', 'AWSUserNotificationsServiceLinkedRolePolicy'],
  ['observability.aoss.amazonaws.com', 'AWSServiceRoleForAmazonOpenSearchServerless', 'AmazonOpenSearchServerlessServiceRolePolicy'],
  ['opensearchservice.amazonaws.com', 'AWSServiceRoleForAmazonOpenSearchService', 'AmazonOpenSearchServiceRolePolicy'],
  ['ops.apigateway.amazonaws.com', 'AWSServiceRoleForAPIGateway', 'APIGatewayServiceRolePolicy'],
  ['ops.emr-serverless.amazonaws.com', 'AWSServiceRoleForAmazonEMRServerless', 'AmazonEMRServerlessServiceRolePolicy'],
  ['opsdatasync.ssm.amazonaws.com', 'AWSServiceRoleForSystemsManagerOpsDataSync', 'AWSSystemsManagerOpsDataSyncServiceRolePolicy'],
  ['opsinsights.ssm.amazonaws.com', 'AWSServiceRoleForAmazonSSM_OpsInsights', 'AWSSSMOpsInsightsServiceRolePolicy'],
  ['pullthroughcache.ecr.amazonaws.com', 'AWSServiceRoleForECRPullThroughCache', 'AWSECRPullThroughCache_ServiceRolePolicy'],
  ['ram.amazonaws.com', 'AWSServiceRoleForResourceAccessManager', 'AWSResourceAccessManagerServiceRolePolicy'],
  ['rds.amazonaws.com', 'AWSServiceRoleForRDS', 'AmazonRDSServiceRolePolicy', false, 'Allows Amazon RDS to manage AWS resources on your behalf'],
  ['redshift.amazonaws.com', 'AWSServiceRoleForRedshift', 'AmazonRedshiftServiceLinkedRolePolicy'],
  ['replication.cassandra.amazonaws.com', 'AWSServiceRoleForKeyspacesReplication', 'KeyspacesReplicationServiceRolePolicy'],
  ['replication.ecr.amazonaws.com', 'AWSServiceRoleForECRReplication', 'ECRReplicationServiceRolePolicy'],
  ['repository.sync.codeconnections.amazonaws.com', 'AWSServiceRoleForGitSync', 'AWSGitSyncServiceRolePolicy'],
  ['resource-explorer-2.amazonaws.com', 'AWSServiceRoleForResourceExplorer', 'AWSResourceExplorerServiceRolePolicy'],
  ['rolesanywhere.amazonaws.com', 'AWSServiceRoleForRolesAnywhere', 'AWSRolesAnywhereServicePolicy'],
  ['s3-outposts.amazonaws.com', 'AWSServiceRoleForS3OnOutposts', 'AWSS3OnOutpostsServiceRolePolicy'],
  ['ses.amazonaws.com', 'AWSServiceRoleForAmazonSES', 'AmazonSESServiceRolePolicy'],
  ['shield.amazonaws.com', 'AWSServiceRoleForAWSShield', 'AWSShieldServiceRolePolicy'],
  ['ssm-incidents.amazonaws.com', 'AWSServiceRoleForIncidentManager', 'AWSIncidentManagerServiceRolePolicy'],
  ['ssm-quicksetup.amazonaws.com', 'AWSServiceRoleForSSMQuickSetup', 'SSMQuickSetupRolePolicy'],
  ['ssm.amazonaws.com', 'AWSServiceRoleForAmazonSSM', 'AmazonSSMServiceRolePolicy', false, 'Provides access to AWS Resources managed or used by Amazon SSM.'],
  ['sso.amazonaws.com', 'AWSServiceRoleForSSO', 'AWSSSOServiceRolePolicy', false, 'Service-linked role used by AWS SSO to manage AWS resources, including IAM roles, policies and SAML IdP on your behalf.'],
  ['vpcorigin.cloudfront.amazonaws.com', 'AWSServiceRoleForCloudFrontVPCOrigin', 'AWSCloudFrontVPCOriginServiceRolePolicy'],
  ['waf.amazonaws.com', 'AWSServiceRoleForWAFLogging', 'WAFLoggingServiceRolePolicy'],
  ['wafv2.amazonaws.com', 'AWSServiceRoleForWAFV2Logging', 'WAFV2LoggingServiceRolePolicy'],
];

/** How a service's linked role is made. */
export interface LinkedRoleSpec {
  roleName: string;
  /** ARN of the AWS managed policy attached to the role, if any. */
  policyArn?: string;
  customSuffix: boolean;
  description?: string;
}

const BY_SERVICE = new Map<string, Row>(ROWS.map((r) => [r[0], r]));

/** The linked-role spec of a service principal such as `batch.amazonaws.com`. */
export function linkedRoleSpec(service: string): LinkedRoleSpec {
  const row = BY_SERVICE.get(service);
  if (row !== undefined) {
    const [, roleName, policy, suffix, description] = row;
    return {
      roleName,
      policyArn: `arn:aws:iam::aws:policy/aws-service-role/${policy}`,
      customSuffix: suffix === true,
      ...(description === undefined ? {} : { description }),
    };
  }
  const word = service.split('.')[0] ?? service;
  const name = word.split('-').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
  return { roleName: `AWSServiceRoleFor${name}`, customSuffix: true };
}

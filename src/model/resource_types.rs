//! Common resource types for pickers (CloudFormation names, as Resource Groups uses them).

/// Frequently grouped resource types, sorted by name.
pub const COMMON: &[&str] = &[
    "AWS::AutoScaling::AutoScalingGroup",
    "AWS::CloudFormation::Stack",
    "AWS::CloudFront::Distribution",
    "AWS::DynamoDB::Table",
    "AWS::EC2::EIP",
    "AWS::EC2::Image",
    "AWS::EC2::Instance",
    "AWS::EC2::InternetGateway",
    "AWS::EC2::NatGateway",
    "AWS::EC2::NetworkInterface",
    "AWS::EC2::RouteTable",
    "AWS::EC2::SecurityGroup",
    "AWS::EC2::Snapshot",
    "AWS::EC2::Subnet",
    "AWS::EC2::VPC",
    "AWS::EC2::Volume",
    "AWS::ECR::Repository",
    "AWS::ECS::Cluster",
    "AWS::ECS::Service",
    "AWS::ECS::TaskDefinition",
    "AWS::EFS::FileSystem",
    "AWS::EKS::Cluster",
    "AWS::ElastiCache::CacheCluster",
    "AWS::ElasticLoadBalancingV2::LoadBalancer",
    "AWS::ElasticLoadBalancingV2::TargetGroup",
    "AWS::Events::Rule",
    "AWS::IAM::Role",
    "AWS::KMS::Key",
    "AWS::Kinesis::Stream",
    "AWS::Lambda::Function",
    "AWS::Logs::LogGroup",
    "AWS::RDS::DBCluster",
    "AWS::RDS::DBInstance",
    "AWS::RDS::DBSnapshot",
    "AWS::Route53::HostedZone",
    "AWS::S3::Bucket",
    "AWS::SNS::Topic",
    "AWS::SQS::Queue",
    "AWS::SSM::Parameter",
    "AWS::SecretsManager::Secret",
    "AWS::StepFunctions::StateMachine",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_types_are_valid_sorted_and_unique() {
        assert!(COMMON
            .iter()
            .all(|t| crate::model::query::is_resource_type(t)));
        let mut sorted = COMMON.to_vec();
        crate::sort::sort(&mut sorted);
        sorted.dedup();
        assert_eq!(sorted, COMMON);
    }
}

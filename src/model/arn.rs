//! Amazon Resource Names: `arn:partition:service:region:account:resource`.

use std::fmt;

/// A parsed ARN. `region` and `account` may be empty (S3 buckets, IAM).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Arn {
    pub partition: String,
    pub service: String,
    pub region: String,
    pub account: String,
    pub resource: String,
}

/// Why a text is not a valid ARN.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ArnError {
    NotAnArn,
    MissingParts,
    BadPartition,
    BadService,
    BadRegion,
    BadAccount,
    EmptyResource,
}

impl fmt::Display for ArnError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ArnError::NotAnArn => "An ARN starts with \u{201c}arn:\u{201d}, for example arn:aws:ec2:us-east-1:123456789012:instance/i-0abc.",
            ArnError::MissingParts => "An ARN has six parts separated by colons: arn, partition, service, region, account and resource.",
            ArnError::BadPartition => "The partition must be aws, aws-cn, aws-us-gov or another AWS partition (aws-iso, aws-iso-b, aws-eusc…).",
            ArnError::BadService => "The service must be lower-case letters, digits and dashes, such as ec2 or s3.",
            ArnError::BadRegion => "The region must be empty or look like us-east-1.",
            ArnError::BadAccount => "The account must be empty, 12 digits, or \u{201c}aws\u{201d} for AWS-managed resources.",
            ArnError::EmptyResource => "The resource part (after the account) must not be empty.",
        })
    }
}

impl std::error::Error for ArnError {}

impl std::str::FromStr for Arn {
    type Err = ArnError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Arn::parse(s)
    }
}

impl fmt::Display for Arn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "arn:{}:{}:{}:{}:{}",
            self.partition, self.service, self.region, self.account, self.resource
        )
    }
}

/// The byte range of the account field in `s` when `s` (trimmed) is an ARN: the one place where
/// AWS itself writes an account ID into text that we store.
pub fn account_range(s: &str) -> Option<std::ops::Range<usize>> {
    let arn = Arn::parse(s).ok()?;
    if arn.account.is_empty() {
        return None;
    }
    let lead = s.len() - s.trim_start().len();
    // "arn:" + partition + ":" + service + ":" + region + ":"
    let start = lead + 4 + arn.partition.len() + arn.service.len() + arn.region.len() + 3;
    let range = start..start + arn.account.len();
    (s.get(range.clone()) == Some(arn.account.as_str())).then_some(range)
}

impl Arn {
    pub fn parse(s: &str) -> Result<Self, ArnError> {
        let s = s.trim();
        let rest = s.strip_prefix("arn:").ok_or(ArnError::NotAnArn)?;
        let mut parts = rest.splitn(5, ':');
        let (Some(partition), Some(service), Some(region), Some(account), Some(resource)) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        ) else {
            return Err(ArnError::MissingParts);
        };
        let partition_ok = partition == "aws"
            || (partition.starts_with("aws-")
                && partition.len() > 4
                && partition
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'-'));
        if !partition_ok {
            return Err(ArnError::BadPartition);
        }
        if service.is_empty()
            || !service
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            return Err(ArnError::BadService);
        }
        if !region.is_empty() && !is_region(region) {
            return Err(ArnError::BadRegion);
        }
        if !(account.is_empty()
            || account == "aws"
            || (account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit())))
        {
            return Err(ArnError::BadAccount);
        }
        if resource.is_empty() {
            return Err(ArnError::EmptyResource);
        }
        Ok(Arn {
            partition: partition.into(),
            service: service.into(),
            region: region.into(),
            account: account.into(),
            resource: resource.into(),
        })
    }

    /// The resource type in the resource part: `instance` of `instance/i-0abc`, `function` of
    /// `function:name`; empty for resources named directly (an S3 bucket, an SQS queue).
    pub fn resource_kind(&self) -> &str {
        match self.resource.split_once(['/', ':']) {
            Some((kind, _)) => kind,
            None => "",
        }
    }

    /// The CloudFormation-style type (`AWS::EC2::Instance`) that Resource Groups uses.
    pub fn resource_type(&self) -> String {
        let service = service_name(&self.service);
        let kind = self.resource_kind();
        let known = match (self.service.as_str(), kind) {
            ("s3", "") => Some("AWS::S3::Bucket"),
            ("sqs", "") => Some("AWS::SQS::Queue"),
            ("sns", "") => Some("AWS::SNS::Topic"),
            ("ec2", "instance") => Some("AWS::EC2::Instance"),
            ("ec2", "volume") => Some("AWS::EC2::Volume"),
            ("ec2", "security-group") => Some("AWS::EC2::SecurityGroup"),
            ("ec2", "vpc") => Some("AWS::EC2::VPC"),
            ("ec2", "subnet") => Some("AWS::EC2::Subnet"),
            ("ec2", "network-interface") => Some("AWS::EC2::NetworkInterface"),
            ("ec2", "snapshot") => Some("AWS::EC2::Snapshot"),
            ("ec2", "image") => Some("AWS::EC2::Image"),
            ("ec2", "natgateway") => Some("AWS::EC2::NatGateway"),
            ("ec2", "internet-gateway") => Some("AWS::EC2::InternetGateway"),
            ("ec2", "route-table") => Some("AWS::EC2::RouteTable"),
            ("ec2", "elastic-ip") => Some("AWS::EC2::EIP"),
            ("lambda", "function") => Some("AWS::Lambda::Function"),
            ("rds", "db") => Some("AWS::RDS::DBInstance"),
            ("rds", "cluster") => Some("AWS::RDS::DBCluster"),
            ("rds", "snapshot") => Some("AWS::RDS::DBSnapshot"),
            ("dynamodb", "table") => Some("AWS::DynamoDB::Table"),
            ("elasticloadbalancing", "loadbalancer") => {
                Some("AWS::ElasticLoadBalancingV2::LoadBalancer")
            }
            ("elasticloadbalancing", "targetgroup") => {
                Some("AWS::ElasticLoadBalancingV2::TargetGroup")
            }
            ("logs", "log-group") => Some("AWS::Logs::LogGroup"),
            ("kms", "key") => Some("AWS::KMS::Key"),
            ("kms", "alias") => Some("AWS::KMS::Alias"),
            ("states", "stateMachine") => Some("AWS::StepFunctions::StateMachine"),
            ("cloudformation", "stack") => Some("AWS::CloudFormation::Stack"),
            ("secretsmanager", "secret") => Some("AWS::SecretsManager::Secret"),
            ("ssm", "parameter") => Some("AWS::SSM::Parameter"),
            ("iam", "role") => Some("AWS::IAM::Role"),
            ("iam", "user") => Some("AWS::IAM::User"),
            ("iam", "policy") => Some("AWS::IAM::ManagedPolicy"),
            ("iam", "group") => Some("AWS::IAM::Group"),
            ("ecs", "cluster") => Some("AWS::ECS::Cluster"),
            ("ecs", "service") => Some("AWS::ECS::Service"),
            ("ecs", "task-definition") => Some("AWS::ECS::TaskDefinition"),
            ("eks", "cluster") => Some("AWS::EKS::Cluster"),
            ("ecr", "repository") => Some("AWS::ECR::Repository"),
            ("autoscaling", "autoScalingGroup") => Some("AWS::AutoScaling::AutoScalingGroup"),
            ("cloudfront", "distribution") => Some("AWS::CloudFront::Distribution"),
            ("route53", "hostedzone") => Some("AWS::Route53::HostedZone"),
            ("elasticache", "cluster") => Some("AWS::ElastiCache::CacheCluster"),
            ("elasticfilesystem", "file-system") => Some("AWS::EFS::FileSystem"),
            ("kinesis", "stream") => Some("AWS::Kinesis::Stream"),
            ("events", "rule") => Some("AWS::Events::Rule"),
            ("resource-groups", "group") => Some("AWS::ResourceGroups::Group"),
            _ => None,
        };
        match known {
            Some(t) => t.to_owned(),
            None if kind.is_empty() => format!("AWS::{service}::Resource"),
            None => format!("AWS::{service}::{}", pascal_case(kind)),
        }
    }
}

fn is_region(r: &str) -> bool {
    // us-east-1, eu-central-2, us-gov-west-1, cn-north-1, us-iso-east-1, local test regions.
    let parts: Vec<&str> = r.split('-').collect();
    parts.len() >= 3
        && parts[..parts.len() - 1]
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
        && parts[parts.len() - 1].bytes().all(|b| b.is_ascii_digit())
        && !parts[parts.len() - 1].is_empty()
}

fn service_name(service: &str) -> String {
    match service {
        "ec2" => "EC2".into(),
        "s3" => "S3".into(),
        "rds" => "RDS".into(),
        "iam" => "IAM".into(),
        "sqs" => "SQS".into(),
        "sns" => "SNS".into(),
        "kms" => "KMS".into(),
        "ecs" => "ECS".into(),
        "eks" => "EKS".into(),
        "ecr" => "ECR".into(),
        "ssm" => "SSM".into(),
        "dynamodb" => "DynamoDB".into(),
        "elasticache" => "ElastiCache".into(),
        "cloudformation" => "CloudFormation".into(),
        "cloudfront" => "CloudFront".into(),
        "cloudwatch" => "CloudWatch".into(),
        "apigateway" => "ApiGateway".into(),
        "secretsmanager" => "SecretsManager".into(),
        "sagemaker" => "SageMaker".into(),
        "states" => "StepFunctions".into(),
        other => pascal_case(other),
    }
}

fn pascal_case(s: &str) -> String {
    s.split(['-', '_'])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_uppercase().chain(c).collect::<String>(),
                None => String::new(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_types() {
        let a = Arn::parse("arn:aws:ec2:us-east-1:123456789012:instance/i-0abc").unwrap();
        assert_eq!(a.service, "ec2");
        assert_eq!(a.resource_type(), "AWS::EC2::Instance");
        assert_eq!(
            a.to_string(),
            "arn:aws:ec2:us-east-1:123456789012:instance/i-0abc"
        );
        assert_eq!(
            Arn::parse("arn:aws:s3:::my-bucket")
                .unwrap()
                .resource_type(),
            "AWS::S3::Bucket"
        );
        assert_eq!(
            Arn::parse("arn:aws:lambda:eu-west-1:123456789012:function:f")
                .unwrap()
                .resource_type(),
            "AWS::Lambda::Function"
        );
        assert_eq!(
            Arn::parse("arn:aws:iam::aws:policy/ReadOnlyAccess")
                .unwrap()
                .account,
            "aws"
        );
        assert_eq!(
            Arn::parse("arn:aws-us-gov:foo-bar:us-gov-west-1:123456789012:widget-box/x")
                .unwrap()
                .resource_type(),
            "AWS::FooBar::WidgetBox"
        );
    }

    #[test]
    fn says_what_is_wrong() {
        assert_eq!(Arn::parse("ec2:instance"), Err(ArnError::NotAnArn));
        assert_eq!(
            Arn::parse("arn:aws:ec2:us-east-1"),
            Err(ArnError::MissingParts)
        );
        assert_eq!(
            Arn::parse("arn:azure:ec2:us-east-1:123456789012:x"),
            Err(ArnError::BadPartition)
        );
        assert_eq!(
            Arn::parse("arn:aws:EC2:us-east-1:123456789012:x"),
            Err(ArnError::BadService)
        );
        assert_eq!(
            Arn::parse("arn:aws:ec2:useast:123456789012:x"),
            Err(ArnError::BadRegion)
        );
        assert_eq!(
            Arn::parse("arn:aws:ec2:us-east-1:1234:x"),
            Err(ArnError::BadAccount)
        );
        assert_eq!(
            Arn::parse("arn:aws:ec2:us-east-1:123456789012:"),
            Err(ArnError::EmptyResource)
        );
    }
}

"""boto3 against the test backend, for the e2e tests and the benchmark: the other side of sync.

Usage: rg.py ENDPOINT CA_FILE COMMAND [ARGS...]; prints JSON. Commands:
  reset                       clear moto's state (and switch signature checking off)
  list                        group names
  get NAME                    {Name, Description, Query, Tags}
  create NAME [STAGE]         a tag-based group
  describe NAME TEXT          set the description
  tag NAME KEY VALUE          set a tag
  delete NAME
  auth                        switch signature checking on; an IAM user's key and secret
  create-many N PREFIX        N groups in a loop; {"seconds": …}
  seed-inventory              tagged EC2 instances, SQS queues, SNS topics and DynamoDB tables
                              in us-east-1 and eu-west-1 (non-ASCII keys and values); the count
  get-resources REGION        every resource the Tagging API lists there: [{ARN, Tags}], by ARN
  seed-many REGION N          N tagged EC2 instances in REGION (a few calls); the seconds taken
  fail-tagging TIMES ARN...   each ARN fails its next TIMES tag/untag calls (moto_server.py)
  tagging-calls [clear]       the TagResources / UntagResources calls made: [[operation, ARNs]]
  in-flight [clear]           the most Tagging API requests moto answered at once: {most}
  create-labelled NAME CRITICALITY OWNER DISPLAY_NAME
                              a tag-based group with the newer fields (moto_rg_fields.py)
  labels NAME                 {Criticality, Owner, DisplayName, ApplicationTag} as GetGroup says
  set-labels NAME JSON        UpdateGroup with the fields in JSON ({"Owner": …})
  app-tag NAME ARN            sets the group's ApplicationTag (what AWS does; test hook)
  configuration NAME          the group's configuration as GetGroupConfiguration says
  create-configured NAME JSON a group with that Configuration (no query)
  create-query-configured NAME STAGE JSON
                              a tag-based group (Stage=STAGE) with that Configuration beside
                              its query (a Network Firewall rule group's)
  rg-calls [clear]            the Resource Groups calls made: [[method, path, request keys]]
  seed-sensitive              groups holding an account ID (name), a card number (tag) and a
                              token (description), and a clean one; the values
"""

import json
import sys
import time
import urllib.request
import ssl

import boto3
from botocore.config import Config

endpoint, ca, command, *args = sys.argv[1:]
ctx = ssl.create_default_context(cafile=ca)
KEY = dict(aws_access_key_id="AKIAIOSFODNN7EXAMPLE", aws_secret_access_key="test-secret")


def client(service="resource-groups", region="us-east-1", **creds):
    return boto3.client(
        service,
        endpoint_url=endpoint,
        region_name=region,
        verify=ca,
        config=Config(retries={"max_attempts": 1}),
        **(creds or KEY),
    )


def moto_api(path, body=b""):
    req = urllib.request.Request(
        endpoint + path, data=body, method="POST", headers={"Content-Type": "text/plain"}
    )
    return urllib.request.urlopen(req, context=ctx).read()


def moto_get(path):
    return urllib.request.urlopen(endpoint + path, context=ctx).read()


def query(stage):
    return {
        "Type": "TAG_FILTERS_1_0",
        "Query": json.dumps(
            {"ResourceTypeFilters": ["AWS::AllSupported"], "TagFilters": [{"Key": "Stage", "Values": [stage]}]}
        ),
    }


rg = client()
out = None
if command == "reset":
    moto_api("/moto-api/reset-auth", b"inf")
    moto_api("/moto-api/reset")
    out = "ok"
elif command == "list":
    out = sorted(g["GroupName"] for g in rg.list_groups()["GroupIdentifiers"])
elif command == "get":
    g = rg.get_group(GroupName=args[0])["Group"]
    q = rg.get_group_query(GroupName=args[0])["GroupQuery"]["ResourceQuery"]
    tags = rg.get_tags(Arn=g["GroupArn"])["Tags"]
    out = {"Name": g["Name"], "Description": g.get("Description", ""), "Query": q, "Tags": tags}
elif command == "create":
    rg.create_group(Name=args[0], ResourceQuery=query(args[1] if len(args) > 1 else "Prod"))
    out = "ok"
elif command == "describe":
    rg.update_group(GroupName=args[0], Description=args[1])
    out = "ok"
elif command == "tag":
    arn = rg.get_group(GroupName=args[0])["Group"]["GroupArn"]
    rg.tag(Arn=arn, Tags={args[1]: args[2]})
    out = "ok"
elif command == "delete":
    rg.delete_group(GroupName=args[0])
    out = "ok"
elif command == "auth":
    moto_api("/moto-api/reset-auth", b"4")
    iam = client("iam")
    iam.create_user(UserName="console-tester")
    iam.put_user_policy(
        UserName="console-tester",
        PolicyName="all",
        PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
        ),
    )
    key = iam.create_access_key(UserName="console-tester")["AccessKey"]
    out = {"AccessKeyId": key["AccessKeyId"], "SecretAccessKey": key["SecretAccessKey"]}
elif command == "create-many":
    n, prefix = int(args[0]), args[1]
    start = time.perf_counter()
    for i in range(n):
        rg.create_group(Name=f"{prefix}-{i:04d}", ResourceQuery=query("Bench"), Tags={"Bench": "boto3"})
    out = {"seconds": time.perf_counter() - start}
elif command == "seed-inventory":
    count = 0
    for region, stage in (("us-east-1", "本番"), ("eu-west-1", "開発")):
        tags = [{"Key": "環境", "Value": stage}, {"Key": "Équipe", "Value": "Données"}]
        ec2 = client("ec2", region)
        image = ec2.describe_images()["Images"][0]["ImageId"]
        for i in range(3):
            ec2.run_instances(
                ImageId=image, MinCount=1, MaxCount=1,
                TagSpecifications=[{"ResourceType": "instance",
                                    "Tags": tags + [{"Key": "Name", "Value": f"ウェブ {region} {i}"}]}],
            )
            count += 1
        sqs = client("sqs", region)
        for name in ("commandes", "talabat"):
            sqs.create_queue(QueueName=f"{name}-{region}", tags={"צוות": "תשתית", "環境": stage})
            count += 1
        sns = client("sns", region)
        sns.create_topic(Name=f"alerts-{region}", Tags=[{"Key": "Owner", "Value": "Zoë"}])
        count += 1
        # A tagged bucket, and one never tagged (the Tagging API does not list it). moto lists
        # buckets in every region (their ARNs have none); AWS only in the bucket's own.
        s3 = client("s3", region)
        where = {} if region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": region}}
        s3.create_bucket(Bucket=f"donnees-{region}", **where)
        s3.put_bucket_tagging(
            Bucket=f"donnees-{region}",
            Tagging={"TagSet": [{"Key": "環境", "Value": stage}, {"Key": "Équipe", "Value": "Données"}]},
        )
        s3.create_bucket(Bucket=f"never-tagged-{region}", **where)
        count += 1
        ddb = client("dynamodb", region)
        ddb.create_table(
            TableName=f"orders-{region}", BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
            Tags=[{"Key": "環境", "Value": stage}, {"Key": "Cost Center", "Value": "R&D 2"}],
        )
        count += 1
    out = {"count": count}
elif command == "get-resources":
    tagging = client("resourcegroupstaggingapi", args[0])
    found = []
    for page in tagging.get_paginator("get_resources").paginate():
        for m in page["ResourceTagMappingList"]:
            found.append({"ARN": m["ResourceARN"], "Tags": {t["Key"]: t["Value"] for t in m.get("Tags", [])}})
    out = sorted(found, key=lambda m: m["ARN"])
elif command == "seed-sensitive":
    # What the data-protection audit must find on a real backend, created as a person would
    # with boto3: a name with an AWS account ID, a tag holding a card number, a description
    # holding a GitHub token; and one clean group. Prints the values so the test can look for
    # them (they must appear nowhere in the page or in the exported report).
    values = {
        "account": "318420957164",  # not moto's own account (123456789012, in every ARN)
        "card": "4111 1111 1111 1111",
        "token": "ghp_" + "x7Yq2Lm9Pw4Rt6Zb1Nc8Vd3Kf5Hj0Gs2Ae4B",
    }
    rg.create_group(Name=f"billing-{values['account']}", ResourceQuery=query("Prod"))
    rg.create_group(Name="payments", ResourceQuery=query("Prod"), Tags={"CardOnFile": values["card"], "Team": "pay"})
    rg.create_group(Name="deploy", ResourceQuery=query("Prod"), Description=f"Deploy with {values['token']}")
    rg.create_group(Name="clean-web", ResourceQuery=query("Prod"), Description="Front end", Tags={"Team": "web"})
    out = values
elif command == "seed-many":
    region, n = args[0], int(args[1])
    ec2 = client("ec2", region)
    image = ec2.describe_images()["Images"][0]["ImageId"]
    start = time.perf_counter()
    left = n
    while left > 0:
        batch = min(left, 500)
        ec2.run_instances(
            ImageId=image, MinCount=batch, MaxCount=batch,
            TagSpecifications=[{"ResourceType": "instance",
                                "Tags": [{"Key": "環境", "Value": "本番"}, {"Key": "Lot", "Value": "ベンチ"}]}],
        )
        left -= batch
    out = {"seconds": time.perf_counter() - start}
elif command == "create-labelled":
    name, crit, owner, display = args[0], int(args[1]), args[2], args[3]
    rg.create_group(Name=name, ResourceQuery=query("Prod"), Criticality=crit, Owner=owner, DisplayName=display)
    out = "ok"
elif command == "labels":
    g = rg.get_group(Group=args[0])["Group"]
    out = {k: g[k] for k in ("Criticality", "Owner", "DisplayName", "ApplicationTag") if k in g}
elif command == "set-labels":
    rg.update_group(Group=args[0], **json.loads(args[1]))
    out = "ok"
elif command == "app-tag":
    out = json.loads(moto_api("/gc-test/application-tag", json.dumps({"group": args[0], "arn": args[1]}).encode()))
elif command == "configuration":
    out = rg.get_group_configuration(Group=args[0])["GroupConfiguration"].get("Configuration")
elif command == "create-configured":
    rg.create_group(Name=args[0], Configuration=json.loads(args[1]))
    out = "ok"
elif command == "create-query-configured":
    rg.create_group(Name=args[0], ResourceQuery=query(args[1]), Configuration=json.loads(args[2]))
    out = "ok"
elif command == "rg-calls":
    path = "/gc-test/rg-calls"
    out = json.loads(moto_api(path) if args[:1] == ["clear"] else moto_get(path))
elif command == "fail-tagging":
    times, arns = int(args[0]), args[1:]
    out = json.loads(moto_api("/gc-test/tagging-failures", json.dumps({"arns": arns, "times": times}).encode()))
elif command == "tagging-calls":
    path = "/gc-test/tagging-calls"
    out = json.loads(moto_api(path) if args[:1] == ["clear"] else moto_get(path))
elif command == "in-flight":
    path = "/gc-test/in-flight"
    out = json.loads(moto_api(path) if args[:1] == ["clear"] else moto_get(path))
else:
    sys.exit(f"unknown command {command}")
print(json.dumps(out))

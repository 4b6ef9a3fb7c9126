#!/usr/bin/env bash
# Prints a CloudFormation template (JSON, pretty-printed) of N resources for bench/run.sh:
# buckets, queues and security groups in turn, each with tags that mix literals, a parameter
# reference, Fn::Sub and a condition, so that evaluation and every rule have work to do.
# Deterministic: the same N gives the same bytes. usage: bench/gen_template.sh N
set -euo pipefail
n="${1:?usage: gen_template.sh N}"
jq -n --argjson n "$n" '
  def tags($i): [
    {Key: "CostCenter", Value: "CC-\(1000 + $i % 9000)"},
    {Key: "Environment", Value: {Ref: "Env"}},
    {Key: "Owner", Value: {"Fn::Sub": "team-${Env}-\($i % 17)"}},
    {Key: "Project", Value: {"Fn::If": ["IsProd", "core", "sandbox"]}}
  ] + (if $i % 5 == 0 then [] else [{Key: "Application", Value: "app-\($i % 23)"}] end);
  {
    AWSTemplateFormatVersion: "2010-09-09",
    Description: "Generated for bench/run.sh: \($n) resources",
    Parameters: {Env: {Type: "String", Default: "dev", AllowedValues: ["dev", "staging", "production"]}},
    Conditions: {IsProd: {"Fn::Equals": [{Ref: "Env"}, "production"]}},
    Resources: ([range(0; $n)] | map(
      if . % 3 == 0 then
        {key: "Bucket\(.)", value: {Type: "AWS::S3::Bucket",
          Properties: {BucketName: {"Fn::Sub": "bench-\(.)-${Env}"}, Tags: tags(.)}}}
      elif . % 3 == 1 then
        {key: "Queue\(.)", value: {Type: "AWS::SQS::Queue",
          Properties: {QueueName: "bench-queue-\(.)", VisibilityTimeout: 30, Tags: tags(.)}}}
      else
        {key: "Group\(.)", value: {Type: "AWS::EC2::SecurityGroup",
          Properties: {GroupDescription: "bench group \(.)", VpcId: "vpc-0123456789abcdef0", Tags: tags(.)}}}
      end) | from_entries)
  }'

#!/bin/sh
# One-shot setup of MinIO for the service, run by docker-compose.yml's
# minio-setup service (image minio/mc) with the root credentials: it creates
# the bucket, the policy policy.json (every action the service needs, on
# that bucket only) and the service's own user with that policy. The service
# never holds the root credentials. Safe to run again: each step leaves
# what is already there as it is, and the user's secret and policy are set
# anew.
#
# Environment: MINIO_URL, MINIO_ROOT_USER, MINIO_ROOT_PASSWORD, S3_BUCKET,
# S3_ACCESS_KEY, S3_SECRET_KEY; POLICY_FILE (default: policy.json beside
# this script).
set -eu

policy_file=${POLICY_FILE:-$(dirname "$0")/policy.json}
policy=dailyreports

mc alias set setup "$MINIO_URL" "$MINIO_ROOT_USER" "$MINIO_ROOT_PASSWORD"
mc mb --ignore-existing "setup/$S3_BUCKET"
mc admin policy create setup "$policy" "$policy_file"
mc admin user add setup "$S3_ACCESS_KEY" "$S3_SECRET_KEY"
# Attaching a policy already attached fails: detach first (which fails, and
# is ignored, on a new user).
mc admin policy detach setup "$policy" --user "$S3_ACCESS_KEY" >/dev/null 2>&1 || true
mc admin policy attach setup "$policy" --user "$S3_ACCESS_KEY"
echo "minio-setup: bucket $S3_BUCKET and user $S3_ACCESS_KEY with policy $policy are ready"

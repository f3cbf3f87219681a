#!/bin/bash
# Submit the shards of a Twinbench run as an AWS Batch array job, then the merge job
# that depends on it.
#
#   aws batch register-job-definition --cli-input-json file://deploy/aws-batch/job-definition.json
#   deploy/aws-batch/submit.sh
#
# The array job (submit-array.json) has arrayProperties.size N children; AWS Batch gives
# each its index (0 to N - 1) in AWS_BATCH_JOB_ARRAY_INDEX, and `--shard auto/N` makes
# index k shard k + 1 of N: keep the size and the N of auto/N equal. The merge depends
# on the array job's id with no type, so it starts once every child has succeeded and
# fails if one fails (SEQUENTIAL and N_TO_N order the children of arrays, not this).
# The job definition mounts an EFS file system at /data for the Parquet and the merged
# database; exit code 2 (bad input) is not retried, other failures up to 3 times.
# Edit the JSON files (image, queue, file system, protocol, N) before the first run.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

array_job=$(aws batch submit-job --cli-input-json "file://$here/submit-array.json" \
  --query jobId --output text)
# The command-line --depends-on replaces the placeholder in submit-merge.json.
merge_job=$(aws batch submit-job --cli-input-json "file://$here/submit-merge.json" \
  --depends-on "jobId=$array_job" --query jobId --output text)

echo "array_job=$array_job"
echo "merge_job=$merge_job"

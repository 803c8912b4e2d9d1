output "bucket_name" {
  description = "NEWSLOOM_S3_BUCKET"
  value       = aws_s3_bucket.corpus.id
}

output "bucket_arn" {
  description = "ARN of the corpus bucket"
  value       = aws_s3_bucket.corpus.arn
}

output "s3_endpoint" {
  description = "NEWSLOOM_S3_ENDPOINT for the pipeline"
  value       = "https://s3.${var.aws_region}.amazonaws.com"
}

output "airflow_remote_log_folder" {
  description = "[logging] remote_base_log_folder for Airflow"
  value       = "s3://${aws_s3_bucket.corpus.id}/airflow-logs"
}

output "pipeline_role_arn" {
  description = "Role the pipeline runs as (IRSA annotation eks.amazonaws.com/role-arn)"
  value       = aws_iam_role.pipeline.arn
}

output "pipeline_policy_arn" {
  description = "Read-write policy of the pipeline (policies/pipeline-rw.json)"
  value       = aws_iam_policy.pipeline_rw.arn
}

output "downstream_policy_arn" {
  description = "Read-only policy for downstream teams: articles/ and runs/ (policies/downstream-ro.json)"
  value       = aws_iam_policy.downstream_ro.arn
}

output "downstream_kms_policy_arn" {
  description = "KMS decrypt policy downstream roles also need when kms_key_arn is set (null otherwise)"
  value       = local.use_cmk ? aws_iam_policy.downstream_kms[0].arn : null
}

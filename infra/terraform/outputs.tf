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

output "pipeline_glue_policy_arn" {
  description = "Glue policy of the pipeline (policies/pipeline-glue.json; null unless catalog = glue): attach it with pipeline_policy_arn to a principal that runs the pipeline without the role"
  value       = local.glue ? aws_iam_policy.pipeline_glue[0].arn : null
}

output "downstream_policy_arn" {
  description = "Read-only policy for downstream teams: warehouse/ (the table), runs/ and raw/ (policies/downstream-ro.json)"
  value       = aws_iam_policy.downstream_ro.arn
}

output "downstream_v1_policy_arn" {
  description = "Read-only policy on the v1 Parquet corpus articles/v1/ while readers migrate (null once downstream_read_v1 = false)"
  value       = var.downstream_read_v1 ? aws_iam_policy.downstream_v1_ro[0].arn : null
}

output "downstream_glue_policy_arn" {
  description = "Read-only Glue policy downstream roles also need to read the tables through Glue/Athena (null unless catalog = glue)"
  value       = local.glue ? aws_iam_policy.downstream_glue_ro[0].arn : null
}

# --- the catalog: the NEWSLOOM_CATALOG* settings of every Airflow component ----------------------

output "catalog" {
  description = "NEWSLOOM_CATALOG"
  value       = var.catalog
}

output "catalog_namespace" {
  description = "NEWSLOOM_CATALOG_NAMESPACE (the Glue database with catalog = glue)"
  value       = local.glue ? aws_glue_catalog_database.corpus[0].name : var.catalog_namespace
}

output "catalog_warehouse" {
  description = "NEWSLOOM_CATALOG_WAREHOUSE"
  value       = local.warehouse
}

output "glue_database_arn" {
  description = "ARN of the Glue database of the corpus tables (null unless catalog = glue)"
  value       = local.glue ? aws_glue_catalog_database.corpus[0].arn : null
}

output "pipeline_environment" {
  description = "The newsloom environment of every Airflow component (Secrets newsloom-s3 and newsloom-catalog); with catalog = sql or rest, NEWSLOOM_CATALOG_URI comes on top"
  value = {
    NEWSLOOM_S3_ENDPOINT       = "https://s3.${var.aws_region}.amazonaws.com"
    NEWSLOOM_S3_BUCKET         = aws_s3_bucket.corpus.id
    AWS_REGION                 = var.aws_region
    NEWSLOOM_CATALOG           = var.catalog
    NEWSLOOM_CATALOG_NAMESPACE = local.glue ? aws_glue_catalog_database.corpus[0].name : var.catalog_namespace
    NEWSLOOM_CATALOG_WAREHOUSE = local.warehouse
  }
}

output "downstream_kms_policy_arn" {
  description = "KMS decrypt policy downstream roles also need when kms_key_arn is set (null otherwise)"
  value       = local.use_cmk ? aws_iam_policy.downstream_kms[0].arn : null
}

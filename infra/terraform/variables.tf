variable "aws_region" {
  description = "Region of the corpus bucket (NEWSLOOM_S3_ENDPOINT = https://s3.<region>.amazonaws.com)."
  type        = string
  default     = "eu-west-1"
}

variable "bucket_name" {
  description = "Name of the corpus bucket (NEWSLOOM_S3_BUCKET). Globally unique."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.bucket_name))
    error_message = "bucket_name must be a valid S3 bucket name (3-63 lower-case letters, digits, dots, hyphens)."
  }
}

variable "tags" {
  description = "Tags applied to every resource."
  type        = map(string)
  default = {
    project = "newsloom"
  }
}

variable "force_destroy" {
  description = "Allow `terraform destroy` to delete a non-empty bucket (never in production)."
  type        = bool
  default     = false
}

# --- the catalog --------------------------------------------------------------------------------

variable "catalog" {
  description = "The Iceberg catalog of the corpus tables (NEWSLOOM_CATALOG): \"glue\" (default: this module creates the Glue database var.catalog_namespace and the Glue permissions of the pipeline and the downstream teams; Athena reads the tables directly), \"sql\" (a PostgreSQL catalog run elsewhere, NEWSLOOM_CATALOG_URI) or \"rest\" (an Iceberg REST catalog, NEWSLOOM_CATALOG_URI). With sql or rest nothing of the catalog is created here."
  type        = string
  default     = "glue"

  validation {
    condition     = contains(["glue", "sql", "rest"], var.catalog)
    error_message = "catalog must be \"glue\", \"sql\" or \"rest\"."
  }
}

variable "catalog_namespace" {
  description = "Namespace of the corpus tables (NEWSLOOM_CATALOG_NAMESPACE): the Glue database name with catalog = \"glue\". Lower-case letters, digits and underscores (what Athena accepts unquoted)."
  type        = string
  default     = "newsloom"

  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{0,254}$", var.catalog_namespace))
    error_message = "catalog_namespace must start with a lower-case letter and hold only lower-case letters, digits and underscores."
  }
}

# --- encryption ---------------------------------------------------------------------------------

variable "sse_algorithm" {
  description = "Default encryption: \"aws:kms\" (SSE-KMS with an S3 Bucket Key) or \"AES256\" (SSE-S3)."
  type        = string
  default     = "aws:kms"

  validation {
    condition     = contains(["aws:kms", "AES256"], var.sse_algorithm)
    error_message = "sse_algorithm must be \"aws:kms\" or \"AES256\"."
  }
}

variable "kms_key_arn" {
  description = "Customer-managed KMS key for SSE-KMS. null: the AWS-managed aws/s3 key (usable by every principal of the account that may use the bucket). With a key, the pipeline role and the downstream roles also get the KMS permissions they need."
  type        = string
  default     = null
}

# --- lifecycle ----------------------------------------------------------------------------------

variable "raw_transition_days" {
  description = "Days after which raw WARC objects (raw/) move to raw_storage_class."
  type        = number
  default     = 30

  validation {
    condition     = var.raw_transition_days >= 1
    error_message = "raw_transition_days must be at least 1."
  }
}

variable "raw_storage_class" {
  description = "Storage class raw/ moves to after raw_transition_days. Only classes that a plain (ranged) GET reads without a restore: GLACIER_IR (cheapest of the two for archives read rarely; 90-day minimum storage) or STANDARD_IA (needs raw_transition_days >= 30). GLACIER and DEEP_ARCHIVE are refused: they would break every raw_ref until restored."
  type        = string
  default     = "GLACIER_IR"

  validation {
    condition     = contains(["STANDARD_IA", "GLACIER_IR"], var.raw_storage_class)
    error_message = "raw_storage_class must be STANDARD_IA or GLACIER_IR: raw/ must stay readable by a plain ranged GET (no GLACIER or DEEP_ARCHIVE, which need a restore)."
  }
}

variable "staging_expiration_days" {
  description = "Days after which the stage hand-off objects (staging/) expire. 14 is what the pipeline's own maintenance (newsloom corpus maintain) assumes: a run's hand-offs are no longer needed after it."
  type        = number
  default     = 14

  validation {
    condition     = var.staging_expiration_days >= 2
    error_message = "staging_expiration_days must be at least 2: a running pipeline still reads its hand-offs."
  }
}

variable "log_expiration_days" {
  description = "Days after which Airflow task logs (airflow-logs/, remote logging) expire."
  type        = number
  default     = 30
}

variable "noncurrent_version_expiration_days" {
  description = "Days an overwritten or deleted object version is kept (the undo window for a bad run)."
  type        = number
  default     = 30
}

variable "abort_incomplete_multipart_days" {
  description = "Days after which incomplete multipart uploads are aborted."
  type        = number
  default     = 7
}

# --- IAM ----------------------------------------------------------------------------------------

variable "pipeline_role_name" {
  description = "Name of the read-write role the pipeline (Airflow workers) runs as."
  type        = string
  default     = "newsloom-pipeline"
}

variable "pipeline_trusted_principal_arns" {
  description = "IAM principals allowed to assume the pipeline role with sts:AssumeRole (an account root, a CI role, an EC2 instance role...)."
  type        = list(string)
  default     = []
}

variable "eks_oidc_provider_arn" {
  description = "ARN of the EKS cluster's IAM OIDC provider, for IRSA (arn:aws:iam::<account>:oidc-provider/oidc.eks.<region>.amazonaws.com/id/<id>). null: no IRSA trust."
  type        = string
  default     = null
}

variable "eks_service_accounts" {
  description = "Kubernetes service accounts (\"<namespace>:<name>\") that may assume the pipeline role through IRSA: the Airflow chart's workers (S3 read-write), api-server and triggerer (remote logs)."
  type        = list(string)
  default = [
    "newsloom:newsloom-worker",
    "newsloom:newsloom-api-server",
    "newsloom:newsloom-triggerer",
  ]
}

variable "downstream_policy_name" {
  description = "Name of the read-only managed policy for downstream teams."
  type        = string
  default     = "newsloom-corpus-read"
}

variable "downstream_read_v1" {
  description = "Keep the v1 Parquet corpus (articles/v1/) readable by downstream teams, through a second policy (<downstream_policy_name>-v1), while they move to the table. Set false once they have; the v1 objects can then be deleted."
  type        = bool
  default     = true
}

variable "downstream_role_names" {
  description = "Existing IAM roles (of downstream teams, in this account) to attach the read-only policy to. Others can attach the policy themselves."
  type        = list(string)
  default     = []
}

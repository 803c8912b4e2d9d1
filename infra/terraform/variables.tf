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
  description = "Cold storage class of raw/. GLACIER_IR keeps `newsloom reprocess` working with no restore step; DEEP_ARCHIVE is cheapest but needs a restore (hours) before reprocessing. STANDARD_IA needs raw_transition_days >= 30."
  type        = string
  default     = "GLACIER_IR"

  validation {
    condition     = contains(["STANDARD_IA", "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE"], var.raw_storage_class)
    error_message = "raw_storage_class must be one of STANDARD_IA, GLACIER_IR, GLACIER, DEEP_ARCHIVE."
  }
}

variable "staging_expiration_days" {
  description = "Days after which the stage hand-off objects (staging/) expire."
  type        = number
  default     = 14
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

variable "downstream_role_names" {
  description = "Existing IAM roles (of downstream teams, in this account) to attach the read-only policy to. Others can attach the policy themselves."
  type        = list(string)
  default     = []
}

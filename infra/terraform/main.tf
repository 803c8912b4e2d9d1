# The newsloom corpus bucket, its catalog and who may use them.
#
#   warehouse/  the Iceberg tables (newsloom.articles, newsloom.outlets): data and metadata,
#               under warehouse/<namespace>/<table>/; never expired by lifecycle rules (the
#               table's own maintenance expires snapshots and removes orphan files)
#   runs/       run manifests, one per execution, never overwritten
#   raw/        raw WARC, written once, never expired: every `raw_ref` stays a plain ranged GET
#               (after var.raw_transition_days it moves to STANDARD_IA or GLACIER_IR, both
#               readable without a restore)
#   staging/    hand-off between pipeline stages, expires after var.staging_expiration_days
#   state/      the translation cache (private to the pipeline)
#   articles/v1/  the v1 Parquet corpus, if this bucket had one: `newsloom corpus migrate`
#               copies it into the table and leaves it in place; readable by downstream teams
#               while var.downstream_read_v1 is true (docs/operations.md, "Migrating from v1")
#   airflow-logs/  Airflow remote task logs, expire after var.log_expiration_days
#
# The catalog (var.catalog): with "glue" this module creates the Glue database
# var.catalog_namespace and grants the pipeline and the downstream teams what they need on it;
# with "sql" or "rest" the catalog is run elsewhere (NEWSLOOM_CATALOG_URI) and nothing of it is
# created here.
#
# IAM permissions live in policies/*.json (single source of truth, `${...}` placeholders);
# this file only loads them with templatefile().

locals {
  use_cmk   = var.sse_algorithm == "aws:kms" && var.kms_key_arn != null
  oidc_host = var.eks_oidc_provider_arn == null ? null : element(split("oidc-provider/", var.eks_oidc_provider_arn), 1)

  policy_vars = {
    bucket = aws_s3_bucket.corpus.id
  }

  # The warehouse prefix (NEWSLOOM_CATALOG_WAREHOUSE): pyiceberg puts a table at
  # <warehouse>/<namespace>/<table>/ under every catalog type.
  warehouse = "s3://${aws_s3_bucket.corpus.id}/warehouse"
  glue      = var.catalog == "glue"

  glue_policy_vars = {
    region     = var.aws_region
    account_id = data.aws_caller_identity.current.account_id
    namespace  = var.catalog_namespace
  }
}

data "aws_caller_identity" "current" {}

# --- bucket -------------------------------------------------------------------------------------

resource "aws_s3_bucket" "corpus" {
  bucket        = var.bucket_name
  force_destroy = var.force_destroy
}

resource "aws_s3_bucket_ownership_controls" "corpus" {
  bucket = aws_s3_bucket.corpus.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "corpus" {
  bucket = aws_s3_bucket.corpus.id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

# Re-runs replace their own objects (deterministic keys): versioning keeps the previous version
# for var.noncurrent_version_expiration_days, the undo window for a bad run.
resource "aws_s3_bucket_versioning" "corpus" {
  bucket = aws_s3_bucket.corpus.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "corpus" {
  bucket = aws_s3_bucket.corpus.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = var.sse_algorithm
      kms_master_key_id = var.sse_algorithm == "aws:kms" ? var.kms_key_arn : null
    }
    bucket_key_enabled = var.sse_algorithm == "aws:kms"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "corpus" {
  bucket = aws_s3_bucket.corpus.id

  # Lifecycle rules on noncurrent versions need versioning in place first.
  depends_on = [aws_s3_bucket_versioning.corpus]

  lifecycle {
    precondition {
      condition     = var.raw_storage_class != "STANDARD_IA" || var.raw_transition_days >= 30
      error_message = "S3 moves objects to STANDARD_IA no earlier than 30 days after creation: set raw_transition_days >= 30."
    }
  }

  # raw/ never expires and never goes to a class that needs a restore (GLACIER, DEEP_ARCHIVE):
  # every raw_ref must stay one plain ranged GET. No rule names warehouse/, runs/ or
  # articles/: only the bucket-wide rule below touches them, and only for noncurrent versions.
  rule {
    id     = "raw-warc-to-infrequent-access"
    status = "Enabled"

    filter {
      prefix = "raw/"
    }

    transition {
      days          = var.raw_transition_days
      storage_class = var.raw_storage_class
    }
  }

  rule {
    id     = "staging-expires"
    status = "Enabled"

    filter {
      prefix = "staging/"
    }

    expiration {
      days = var.staging_expiration_days
    }

    noncurrent_version_expiration {
      noncurrent_days = 1
    }
  }

  rule {
    id     = "airflow-logs-expire"
    status = "Enabled"

    filter {
      prefix = "airflow-logs/"
    }

    expiration {
      days = var.log_expiration_days
    }

    noncurrent_version_expiration {
      noncurrent_days = 1
    }
  }

  rule {
    id     = "noncurrent-versions-expire"
    status = "Enabled"

    filter {}

    noncurrent_version_expiration {
      noncurrent_days = var.noncurrent_version_expiration_days
    }

    expiration {
      expired_object_delete_marker = true
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = var.abort_incomplete_multipart_days
    }
  }
}

data "aws_iam_policy_document" "bucket" {
  statement {
    sid     = "DenyInsecureTransport"
    effect  = "Deny"
    actions = ["s3:*"]
    resources = [
      aws_s3_bucket.corpus.arn,
      "${aws_s3_bucket.corpus.arn}/*",
    ]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }

  statement {
    sid     = "DenyOutdatedTls"
    effect  = "Deny"
    actions = ["s3:*"]
    resources = [
      aws_s3_bucket.corpus.arn,
      "${aws_s3_bucket.corpus.arn}/*",
    ]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "NumericLessThan"
      variable = "s3:TlsVersion"
      values   = ["1.2"]
    }
  }
}

resource "aws_s3_bucket_policy" "corpus" {
  bucket = aws_s3_bucket.corpus.id
  policy = data.aws_iam_policy_document.bucket.json

  # A bucket policy put before the public access block exists can race with it.
  depends_on = [aws_s3_bucket_public_access_block.corpus]
}

# --- pipeline role (read-write) -----------------------------------------------------------------

data "aws_iam_policy_document" "pipeline_trust" {
  dynamic "statement" {
    for_each = length(var.pipeline_trusted_principal_arns) > 0 ? [1] : []

    content {
      sid     = "TrustedPrincipals"
      actions = ["sts:AssumeRole"]

      principals {
        type        = "AWS"
        identifiers = var.pipeline_trusted_principal_arns
      }
    }
  }

  dynamic "statement" {
    for_each = var.eks_oidc_provider_arn == null ? [] : [1]

    content {
      sid     = "EksServiceAccounts"
      actions = ["sts:AssumeRoleWithWebIdentity"]

      principals {
        type        = "Federated"
        identifiers = [var.eks_oidc_provider_arn]
      }

      condition {
        test     = "StringEquals"
        variable = "${local.oidc_host}:aud"
        values   = ["sts.amazonaws.com"]
      }

      condition {
        test     = "StringEquals"
        variable = "${local.oidc_host}:sub"
        values   = [for sa in var.eks_service_accounts : "system:serviceaccount:${sa}"]
      }
    }
  }
}

resource "aws_iam_role" "pipeline" {
  name               = var.pipeline_role_name
  description        = "newsloom pipeline (Airflow workers): read-write on the corpus bucket"
  assume_role_policy = data.aws_iam_policy_document.pipeline_trust.json

  lifecycle {
    precondition {
      condition     = length(var.pipeline_trusted_principal_arns) > 0 || var.eks_oidc_provider_arn != null
      error_message = "Set pipeline_trusted_principal_arns and/or eks_oidc_provider_arn: someone must be able to assume the pipeline role."
    }
  }
}

resource "aws_iam_policy" "pipeline_rw" {
  name        = "${var.pipeline_role_name}-s3"
  description = "newsloom pipeline: read-write on the corpus bucket, no deletes under raw/ (policies/pipeline-rw.json)"
  policy      = jsonencode(jsondecode(templatefile("${path.module}/policies/pipeline-rw.json", local.policy_vars)))
}

resource "aws_iam_role_policy_attachment" "pipeline_rw" {
  role       = aws_iam_role.pipeline.name
  policy_arn = aws_iam_policy.pipeline_rw.arn
}

# --- downstream teams (read-only: the table, the manifests, the raw archives) ------------------

resource "aws_iam_policy" "downstream_ro" {
  name        = var.downstream_policy_name
  description = "newsloom corpus: read the table (warehouse/), the run manifests (runs/) and the raw archives (raw/) (policies/downstream-ro.json)"
  policy      = jsonencode(jsondecode(templatefile("${path.module}/policies/downstream-ro.json", local.policy_vars)))
}

resource "aws_iam_role_policy_attachment" "downstream_ro" {
  for_each = toset(var.downstream_role_names)

  role       = each.value
  policy_arn = aws_iam_policy.downstream_ro.arn
}

# The v1 Parquet corpus (articles/v1/) stays readable while readers move to the table; set
# downstream_read_v1 = false once they have (then the v1 objects can be deleted).
resource "aws_iam_policy" "downstream_v1_ro" {
  count = var.downstream_read_v1 ? 1 : 0

  name        = "${var.downstream_policy_name}-v1"
  description = "newsloom corpus: read the v1 Parquet corpus (articles/v1/) during the migration to the table (policies/downstream-v1-ro.json)"
  policy      = jsonencode(jsondecode(templatefile("${path.module}/policies/downstream-v1-ro.json", local.policy_vars)))
}

resource "aws_iam_role_policy_attachment" "downstream_v1_ro" {
  for_each = var.downstream_read_v1 ? toset(var.downstream_role_names) : toset([])

  role       = each.value
  policy_arn = aws_iam_policy.downstream_v1_ro[0].arn
}

# --- the Glue Data Catalog (catalog = "glue") ---------------------------------------------------

# The namespace's database. Its location is the namespace's folder in the warehouse, so the
# tables land at warehouse/<namespace>/<table>/ exactly as with the SQL catalog (pyiceberg puts
# a table at <database location>/<table>).
resource "aws_glue_catalog_database" "corpus" {
  count = local.glue ? 1 : 0

  name         = var.catalog_namespace
  description  = "newsloom corpus: Iceberg tables (articles, outlets), docs/corpus.md"
  location_uri = "${local.warehouse}/${var.catalog_namespace}"
}

resource "aws_iam_policy" "pipeline_glue" {
  count = local.glue ? 1 : 0

  name        = "${var.pipeline_role_name}-glue"
  description = "newsloom pipeline: read and commit the corpus tables in the Glue database (policies/pipeline-glue.json)"
  policy      = jsonencode(jsondecode(templatefile("${path.module}/policies/pipeline-glue.json", local.glue_policy_vars)))
}

resource "aws_iam_role_policy_attachment" "pipeline_glue" {
  count = local.glue ? 1 : 0

  role       = aws_iam_role.pipeline.name
  policy_arn = aws_iam_policy.pipeline_glue[0].arn
}

resource "aws_iam_policy" "downstream_glue_ro" {
  count = local.glue ? 1 : 0

  name        = "${var.downstream_policy_name}-glue"
  description = "newsloom corpus readers: read the corpus tables' Glue metadata, for Athena, Trino, Spark (policies/downstream-glue-ro.json)"
  policy      = jsonencode(jsondecode(templatefile("${path.module}/policies/downstream-glue-ro.json", local.glue_policy_vars)))
}

resource "aws_iam_role_policy_attachment" "downstream_glue_ro" {
  for_each = local.glue ? toset(var.downstream_role_names) : toset([])

  role       = each.value
  policy_arn = aws_iam_policy.downstream_glue_ro[0].arn
}

# --- customer-managed KMS key: the permissions S3 needs on the callers' behalf ------------------

data "aws_iam_policy_document" "pipeline_kms" {
  count = local.use_cmk ? 1 : 0

  statement {
    sid       = "UseTheCorpusKey"
    actions   = ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"]
    resources = [var.kms_key_arn]
  }
}

resource "aws_iam_policy" "pipeline_kms" {
  count = local.use_cmk ? 1 : 0

  name        = "${var.pipeline_role_name}-kms"
  description = "newsloom pipeline: encrypt and decrypt corpus objects with the bucket's KMS key"
  policy      = data.aws_iam_policy_document.pipeline_kms[0].json
}

resource "aws_iam_role_policy_attachment" "pipeline_kms" {
  count = local.use_cmk ? 1 : 0

  role       = aws_iam_role.pipeline.name
  policy_arn = aws_iam_policy.pipeline_kms[0].arn
}

data "aws_iam_policy_document" "downstream_kms" {
  count = local.use_cmk ? 1 : 0

  statement {
    sid       = "DecryptTheCorpus"
    actions   = ["kms:Decrypt", "kms:DescribeKey"]
    resources = [var.kms_key_arn]
  }
}

resource "aws_iam_policy" "downstream_kms" {
  count = local.use_cmk ? 1 : 0

  name        = "${var.downstream_policy_name}-kms"
  description = "newsloom corpus readers: decrypt objects encrypted with the bucket's KMS key"
  policy      = data.aws_iam_policy_document.downstream_kms[0].json
}

resource "aws_iam_role_policy_attachment" "downstream_kms" {
  for_each = local.use_cmk ? toset(var.downstream_role_names) : toset([])

  role       = each.value
  policy_arn = aws_iam_policy.downstream_kms[0].arn
}

# cp example.tfvars terraform.tfvars, then terraform init && terraform apply
aws_region  = "eu-west-1"
bucket_name = "newsloom-corpus-example"

# SSE-KMS with the AWS-managed key by default; AES256 for SSE-S3, or a customer-managed key:
# sse_algorithm = "AES256"
# kms_key_arn   = "arn:aws:kms:eu-west-1:123456789012:key/00000000-0000-0000-0000-000000000000"

# The corpus tables' catalog: the Glue database "newsloom" (Athena reads it directly) ...
catalog           = "glue"
catalog_namespace = "newsloom"
# ... or a catalog run elsewhere (PostgreSQL: "sql", an Iceberg REST service: "rest"), whose
# NEWSLOOM_CATALOG_URI goes in the deployment's newsloom-catalog Secret:
# catalog = "sql"

# raw/ is never expired; it moves to a class still read by a plain ranged GET (no restore):
raw_transition_days = 30
raw_storage_class   = "GLACIER_IR" # or "STANDARD_IA"

# Who runs the pipeline: an EKS cluster through IRSA ...
eks_oidc_provider_arn = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
eks_service_accounts  = ["newsloom:newsloom-worker", "newsloom:newsloom-api-server", "newsloom:newsloom-triggerer"]
# ... and/or IAM principals (a docker-compose host's role, CI):
# pipeline_trusted_principal_arns = ["arn:aws:iam::123456789012:role/newsloom-runner"]

# Downstream teams' roles that get the read-only policies (table, manifests, raw archives; the
# Glue database with catalog = "glue"; articles/v1/ while downstream_read_v1 = true):
# downstream_role_names = ["analytics-athena", "research-notebooks"]
# downstream_read_v1    = false   # once readers have moved from articles/v1/ to the table

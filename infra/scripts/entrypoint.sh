#!/usr/bin/env bash
# Entrypoint of the newsloom Airflow image (infra/Dockerfile), shaped like the official
# apache/airflow image's so the Helm chart's container args work unchanged:
#   bash|sh|python|python3|airflow|newsloom ...  -> run as given
#   anything else (scheduler, "celery worker", api-server, ...) -> an airflow subcommand
set -euo pipefail

if [[ $# -eq 0 ]]; then
  exec airflow version
fi

case "$1" in
  bash | sh | python | python3 | airflow | newsloom)
    exec "$@"
    ;;
  *)
    exec airflow "$@"
    ;;
esac

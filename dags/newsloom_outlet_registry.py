"""The outlet registry check (no DAG of its own).

The daily and backfill DAG files build one DAG per outlet whose registry file loads and leave
out a broken one, so one bad file never takes the other outlets' DAGs with it. This file is
where the broken ones show: its import error in Airflow (UI banner, `airflow dags
list-import-errors`) names each outlet and its file's error, and clears once they are fixed.
"""

from __future__ import annotations

from processing.airflow import check_registry

check_registry()

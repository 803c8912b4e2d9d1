"""Create or update the Airflow pools the newsloom DAGs use.

One pool per enabled outlet, ``newsloom_<outlet_id>``, holds every crawl of that outlet (its
daily runs, cleared reruns and the chunks of its backfills): politeness towards the outlet,
and one crawl of an outlet at a time without any task sleeping on a lock.
``newsloom_translation`` holds every task that loads a translation model (one model copy per
slot: size it to the machine's memory and cores). Pool names come from
``processing.airflow``, the module the DAG files call, so the two cannot drift apart; the
outlets come from the registry the DAGs load (built-in YAML plus ``NEWSLOOM_OUTLETS_DIR``).

Slots: 1 per outlet (one crawl at a time already runs ``politeness.concurrency`` requests in
parallel), 2 for outlets whose registry entry allows ``politeness.concurrency >= 4`` (large
sites and agencies that tolerate two crawls at once); 1 for translation on a small machine
(``--translation-slots``).

    python infra/scripts/create_pools.py                  # print the pools as JSON
    python infra/scripts/create_pools.py -o pools.json    # write them (airflow pools import)
    python infra/scripts/create_pools.py --apply          # write and import them (idempotent)

``--apply`` runs ``airflow pools import``, which creates missing pools and updates the slots
and descriptions of existing ones. Pools of outlets removed from the registry are left alone.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from typing import Any

TRANSLATION_SLOTS = 1
WIDE_OUTLET_CONCURRENCY = 4  # politeness.concurrency from which an outlet gets 2 slots


def outlet_slots(outlet: Any) -> int:
    """Crawl tasks of one outlet allowed to run at the same time (1 or 2)."""
    concurrency = int(getattr(getattr(outlet, "politeness", None), "concurrency", 1) or 1)
    return 2 if concurrency >= WIDE_OUTLET_CONCURRENCY else 1


def build_pools(
    outlets: list[Any] | None = None, translation_slots: int = TRANSLATION_SLOTS
) -> dict[str, dict[str, Any]]:
    """The pools, in the format of ``airflow pools import`` (name -> slots/description)."""
    from processing.airflow import outlet_pool, registry, translation_pool

    if outlets is None:
        outlets = registry()
    pools: dict[str, dict[str, Any]] = {}
    for outlet in sorted(outlets, key=lambda o: o.id):
        pools[outlet_pool(outlet.id)] = {
            "slots": outlet_slots(outlet),
            "description": f"newsloom: concurrent crawls of outlet {outlet.id} (politeness)",
            "include_deferred": False,
        }
    pools[translation_pool()] = {
        "slots": translation_slots,
        "description": "newsloom: tasks that load a translation model (one model per slot)",
        "include_deferred": False,
    }
    if "default_pool" in pools:  # NEWSLOOM_AIRFLOW_POOLS=0: nothing of ours to create
        return {}
    return pools


def import_pools(pools: dict[str, dict[str, Any]]) -> None:
    """``airflow pools import`` the given pools (creates or updates them)."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
        json.dump(pools, fh, indent=2, sort_keys=True)
        path = fh.name
    try:
        subprocess.run([sys.executable, "-m", "airflow", "pools", "import", path], check=True)
    finally:
        os.unlink(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-o", "--output", help="write the pools JSON to this file")
    parser.add_argument(
        "--apply", action="store_true", help="import the pools into Airflow (airflow pools import)"
    )
    parser.add_argument(
        "--translation-slots",
        type=int,
        default=TRANSLATION_SLOTS,
        help="slots of the newsloom_translation pool (default %(default)s)",
    )
    args = parser.parse_args(argv)

    pools = build_pools(translation_slots=args.translation_slots)
    text = json.dumps(pools, indent=2, sort_keys=True) + "\n"
    if args.output:
        with open(args.output, "w", encoding="utf-8") as fh:
            fh.write(text)
    if args.apply:
        if not pools:
            print("NEWSLOOM_AIRFLOW_POOLS=0: the DAGs use default_pool; nothing to create")
            return 0
        import_pools(pools)
        print(f"imported {len(pools)} pool(s): {', '.join(sorted(pools))}")
    elif not args.output:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())

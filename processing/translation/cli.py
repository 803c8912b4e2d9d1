"""The translation command line: convert a model to CTranslate2, or translate stdin (a quick
check of a model). ``python -m processing.translation`` runs :func:`main`; the ``newsloom``
CLI mounts the same commands as ``newsloom translation …`` through :func:`add_commands`.

    python -m processing.translation convert Helsinki-NLP/opus-mt-ar-en /models/ar-en-int8 \
        --quantization int8
    echo "مرحبا بالعالم" | NEWSLOOM_TRANSLATION_MODEL=/path/to/model \
        python -m processing.translation translate --language ar

(A tiny offline test model is built by the development kit: ``python -m devkit tiny-model``.)
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from processing.core.config import Settings


def add_commands(parser: argparse.ArgumentParser) -> None:
    """The ``convert`` and ``translate`` subcommands, on ``parser``."""
    sub = parser.add_subparsers(dest="translation_command", required=True)
    p = sub.add_parser("convert", help="convert a Hugging Face Marian model to CTranslate2")
    p.add_argument("model", help="hub id or local directory")
    p.add_argument("out_dir", type=Path)
    p.add_argument(
        "--quantization",
        default="int8",
        help="int8 (CPU), float16 (GPU), int8_float16, float32 (default: int8)",
    )
    p = sub.add_parser("translate", help="translate stdin, one paragraph per line")
    p.add_argument("--language", default="ar")


def run(args: argparse.Namespace, settings: Settings | None = None) -> int:
    if args.translation_command == "convert":
        from processing.translation.backends import convert_model

        print(convert_model(args.model, args.out_dir, args.quantization))
        return 0
    from processing.core.config import Settings
    from processing.translation import TranslationInput, Translator

    translator = Translator(settings or Settings.from_env())
    try:
        [out] = translator.translate(
            [TranslationInput("stdin", args.language, None, sys.stdin.read().rstrip("\n"))]
        )
    finally:
        translator.close()
    print(out.text_en if out.text_en is not None else f"[{out.status}] {out.reason}")
    print(
        json.dumps(
            {
                "status": out.status,
                "model": out.model,
                "version": out.model_version,
                "backend": out.backend,
                "stats": translator.stats,
            }
        ),
        file=sys.stderr,
    )
    return 0 if out.status in ("translated", "source_english") else 1


def main(argv: list[str] | None = None, prog: str = "python -m processing.translation") -> int:
    parser = argparse.ArgumentParser(prog=prog)
    add_commands(parser)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    return run(args)


if __name__ == "__main__":
    sys.exit(main())

import subprocess
import sys

import processing


def test_every_public_name_resolves():
    for name in processing.__all__:
        assert getattr(processing, name) is not None, name


def test_importing_processing_is_light():
    code = (
        "import sys, processing; "
        "print([m for m in ('torch', 'transformers', 'scrapy', 'trafilatura', 'pyarrow',"
        " 'boto3') if m in sys.modules])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == "[]"

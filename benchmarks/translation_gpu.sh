#!/usr/bin/env bash
# The GPU table of docs/BENCHMARKS.md ("Translation throughput" / "GPU"), in one short run on a
# machine with an NVIDIA GPU:
#
#     benchmarks/translation_gpu.sh [--rounds 3] [--batch-sizes 1,32,128,512] [--update-docs]
#
# transformers float16 against CTranslate2 float16 and int8_float16, same random
# opus-mt-ar-en-shaped model, same NTREX Arabic sentences, output length forced to 64 tokens,
# greedy; target tokens/s and GPU memory per variant. Needs a Python (PYTHON, default python3)
# with a CUDA build of torch, transformers, sentencepiece and ctranslate2 (its wheels carry
# CUDA 12), and the NTREX-128 files under $NEWSLOOM_SHARED_DATA/ntrex-ar-en (default
# ../shared/data). Writes $OUT/translation-cuda.json when OUT is set (the device tool's
# folder), else benchmarks/out/translation-cuda.json. About 3 minutes on an H100-class GPU
# with the default rounds (most of it building the model).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader
"$PY" - <<'PY'
import ctranslate2, torch, transformers
print("torch", torch.__version__, "cuda", torch.cuda.is_available(), "| ctranslate2",
      ctranslate2.__version__, "devices", ctranslate2.get_cuda_device_count(),
      ctranslate2.get_supported_compute_types("cuda"), "| transformers", transformers.__version__)
assert torch.cuda.is_available() and ctranslate2.get_cuda_device_count() > 0, "no GPU visible"
PY
out_dir=${OUT:-benchmarks/out}
mkdir -p "$out_dir"
exec "$PY" -m benchmarks.translation --device cuda --rounds 3 \
    --out "$out_dir/translation-cuda.json" "$@"

#!/usr/bin/env bash
# The clause encoder's k-fold training on the GPU machine (docs/models.md, "The GPU run").
# Run there from the repository root, with the pack carried:
#   run(command="bash scripts/encoder_gpu.sh", carry=["out/encoder-kfold/pack"], timeout_s=600)
# It needs only the machine's python3 (torch, transformers, numpy) and the pack; it writes
# oof.npy, final.npz.part*, report.json and log.txt to $OUT (6 files, about 40 MB).
set -o pipefail
export PYTHONUNBUFFERED=1 PYTHONPATH="$PWD" HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
PACK="${PACK:-out/encoder-kfold/pack}"
OUT="${OUT:?OUT is the folder the device brings back}"
BUDGET="${BUDGET:-480}"  # seconds of training: the run's limit is 600
nvidia-smi -L || true
python3 -c "import torch, transformers; print('torch', torch.__version__, 'cuda', torch.cuda.is_available(), 'transformers', transformers.__version__)"
python3 -m westfall_legal.training.encoder.kfold_train "$PACK" "$OUT" --budget-s "$BUDGET" 2>&1 | tee "$OUT/log.txt"

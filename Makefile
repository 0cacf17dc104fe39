# Westfall Legal — `make demo` and `make test` are the two commands (see README.md).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.setup-stamp
# Qt's xcb platform plugin (westfall-gui on an X display) links the libxcb-* and
# libxkbcommon-x11 libraries below (packaging/README.md); without them Qt aborts with
# "no Qt platform plugin could be initialized". Xvfb gives the GUI a real X display for
# screenshots; LibreOffice (headless) checks that Word drafts are numbered as Word shows them
# (tests/integration/test_docx_libreoffice.py).
APT_PACKAGES := tesseract-ocr tesseract-ocr-eng tesseract-ocr-osd libegl1 libgl1 \
	libxkbcommon0 libfontconfig1 libdbus-1-3 libglib2.0-0 \
	libxkbcommon-x11-0 libx11-xcb1 libxcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0 \
	libxcb-keysyms1 libxcb-randr0 libxcb-render0 libxcb-render-util0 libxcb-shape0 \
	libxcb-shm0 libxcb-sync1 libxcb-util1 libxcb-xfixes0 libxcb-xkb1 \
	xvfb libreoffice-writer-nogui
SCAN := resources/samples/master_services_agreement_scanned.pdf
export QT_QPA_PLATFORM ?= offscreen

.PHONY: all setup system-deps demo test lint typecheck pytest check bench clean finetune-tools docs

all: test

# Debian packages: installed when run as root, otherwise the exact apt line is printed.
system-deps:
	@missing=""; \
	for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing Debian packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	      apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  else \
	    echo "Missing Debian packages. Run:"; \
	    echo "  sudo apt-get install -y --no-install-recommends$$missing"; \
	    exit 1; \
	  fi; \
	fi

# The virtualenv with the package, its extras and the default model package. pip keeps the
# compiled llama-cpp-python wheel in its cache, so a re-run never rebuilds it.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[gui,train,dev,finetune,portfolio,tracking]'
	@touch $(STAMP)

# llama.cpp's LoRA -> GGUF conversion scripts, from the source archive of the very
# llama-cpp-python release installed (PyPI), into the venv (westfall_legal/training/finetune).
CONVERT := $(VENV)/share/llama.cpp-convert
LLAMA_SDIST := build/llama-sdist
$(CONVERT)/convert_lora_to_gguf.py: | $(STAMP)
	@version=$$($(BIN)/python -c 'import importlib.metadata as m; print(m.version("llama-cpp-python"))'); \
	root=llama_cpp_python-$$version/vendor/llama.cpp; \
	rm -rf $(LLAMA_SDIST) $(CONVERT) && mkdir -p $(LLAMA_SDIST) $(CONVERT) && \
	$(BIN)/python -m pip download -q --no-deps --no-binary :all: \
	  "llama-cpp-python==$$version" -d $(LLAMA_SDIST) && \
	tar xzf $(LLAMA_SDIST)/llama_cpp_python-$$version.tar.gz -C $(CONVERT) --strip-components=3 \
	  $$root/convert_lora_to_gguf.py $$root/convert_hf_to_gguf.py $$root/conversion \
	  $$root/gguf-py $$root/LICENSE && \
	rm -rf $(LLAMA_SDIST) && echo "llama.cpp conversion scripts $$version in $(CONVERT)"

finetune-tools: $(CONVERT)/convert_lora_to_gguf.py

$(SCAN): resources/samples/generate.py | $(STAMP)
	$(BIN)/python resources/samples/generate.py --only scan

setup: system-deps $(STAMP) $(SCAN) $(CONVERT)/convert_lora_to_gguf.py
	@$(BIN)/westfall models install-default

demo: setup
	$(BIN)/westfall review resources/samples --out out --format json,html
	@echo "Reports written to $$(pwd)/out/"
	@if [ -n "$$DISPLAY$$WAYLAND_DISPLAY" ]; then \
	  echo "Opening the desktop workspace on the sample (close the window to finish)"; \
	  $(if $(filter file,$(origin QT_QPA_PLATFORM)),env -u QT_QPA_PLATFORM) \
	    $(BIN)/westfall-gui resources/samples/master_services_agreement.pdf; \
	fi

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: setup
	$(BIN)/python -m pytest -q

test: setup lint typecheck pytest

# The quick inner loop: ruff, mypy and the unit tests without the slow ones (no Qt, no
# Tesseract, no language model).
check: lint typecheck
	$(BIN)/python -m pytest -q -m "not slow" tests/unit

# Every benchmark once with --quick (python -m benchmarks.NAME; the CUAD parts are skipped
# where ../shared/data/cuad is absent). Runs them all, then fails if any did.
BENCHMARKS := $(sort $(basename $(notdir $(filter-out benchmarks/_%,$(wildcard benchmarks/*.py)))))
bench: setup
	@failed=""; for b in $(BENCHMARKS); do \
	  echo "== python -m benchmarks.$$b --quick"; \
	  $(BIN)/python -m benchmarks.$$b --quick || failed="$$failed $$b"; \
	done; \
	if [ -n "$$failed" ]; then echo "failed:$$failed"; exit 1; fi

clean:
	rm -rf out .mypy_cache .ruff_cache .pytest_cache

# docs/cli.md from the CLI's own --help (tests/unit/test_docs_cli.py fails when it is stale).
docs: $(STAMP)
	$(BIN)/python docs/gen_cli.py

# The desktop bundle (packaging/README.md); separate from `make test`, which never builds it.
BUNDLE_VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml)
BUNDLE := dist/westfall-legal-$(BUNDLE_VERSION)-linux-x86_64.tar.gz
.PHONY: bundle bundle-test

bundle:
	PY=$(PY) packaging/build_bundle.sh

bundle-test:
	@test -f $(BUNDLE) || { echo "$(BUNDLE) not found: run make bundle first"; exit 1; }
	build/bundle-venv/bin/python packaging/bundle_test.py $(BUNDLE)

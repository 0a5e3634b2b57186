# yibao — the README's two commands, and a few helpers.
#   make demo   install what is missing, build, run the main job
#   make test   install what is missing, build, run every test
.PHONY: all deps build demo test bench fuzz clean

all: build

deps:
	@bash scripts/deps.sh

build: deps
	@[ -d build ] || meson setup build >/dev/null
	@ninja -C build

demo: build
	@bash scripts/demo.sh

test: deps
	@bash scripts/test.sh

bench: deps
	@[ -d build-release ] || meson setup build-release --buildtype=release -Dtests=false >/dev/null
	@ninja -C build-release
	@bash bench/run.sh build-release

fuzz: deps
	@bash tests/fuzz/run.sh $${SECONDS_PER_TARGET:-3600}

clean:
	rm -rf build build-asan build-release build-fuzz

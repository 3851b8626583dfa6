# Pitchfest: `make test` is the one command CI runs (.ci/run). It starts PostgreSQL, an S3 server and Chromium
# as needed; see scripts/test.sh.
.PHONY: test run build bench lint

test:
	./scripts/test.sh

run:
	go run ./cmd/pitchfest

build:
	CGO_ENABLED=0 go build -trimpath -o bin/pitchfest ./cmd/pitchfest

bench:
	go test -run='^$$' -bench=. -benchmem ./...

lint:
	go vet ./...
	go run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...

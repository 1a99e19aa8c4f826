.PHONY: serve test install lint format bench

serve: ## install everything and serve at http://127.0.0.1:8000
	scripts/serve

test: ## install everything and run lint and the whole test suite
	scripts/test

install:
	scripts/install test

lint:
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/lint-imports

format:
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .

bench: ## load benchmark on SQLite and PostgreSQL (needs wrk, PostgreSQL, Redis)
	.venv/bin/python scripts/bench.py

#!/usr/bin/env bash
# Produces the raw job-log fixtures of the log-extraction tests by running real tools on broken
# code, then wrapping their output in GitHub Actions' job-log format (wrap-github-log.mjs).
# Needs: node + npm (eslint, typescript, jest installed into the work dir), python3 + pytest,
# go, cargo. Usage: scripts/make-log-fixtures.sh [workdir]
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/../test/fixtures/logs"
work="${1:-$(mktemp -d)}"
mkdir -p "$out" "$work"
cd "$work"
[ -d node_modules/vitest ] || npm install --silent eslint@10 @eslint/js@10 typescript@5.9 jest@29 vitest@4 >/dev/null
export FORCE_COLOR=1
wrap() { node "$here/wrap-github-log.mjs" "$@"; }

# --- tsc ---
mkdir -p ts/src && cd ts
cat > tsconfig.json <<'J'
{ "compilerOptions": { "strict": true, "noEmit": true, "target": "ES2022", "module": "NodeNext" }, "include": ["src"] }
J
cat > src/price.ts <<'J'
export interface Price { amount: number; currency: string }
export function total(prices: Price[]): number {
  return prices.reduce((sum, p) => sum + p.amount, "0");
}
export const label: string = total([]);
J
../node_modules/.bin/tsc -p . --pretty > ../tsc.out 2>&1; echo "tsc exit $?"
cd ..
wrap --step "Run npx tsc -p ." --command "npx tsc -p ." --exit 2 tsc.out > "$out/tsc.log"

# --- eslint ---
mkdir -p lint/src && cd lint
cat > eslint.config.mjs <<'J'
import js from "@eslint/js";
export default [js.configs.recommended, { languageOptions: { globals: { console: "readonly" } } }];
J
cat > src/app.js <<'J'
import { readFile } from "node:fs/promises";
export function greet(name) {
  const unused = 1;
  if (name == undefined) return "hi " + nmae;
  return "hi " + name;
}
J
ln -sfn ../node_modules node_modules
./node_modules/.bin/eslint --color src > ../eslint.out 2>&1; echo "eslint exit $?"
cd ..
wrap --step "Run npx eslint src" --command "npx eslint src" --exit 1 eslint.out > "$out/eslint.log"

# --- vitest ---
mkdir -p vt && cd vt
ln -sfn ../node_modules node_modules
cat > package.json <<'J'
{ "type": "module" }
J
cat > math.js <<'J'
export const add = (a, b) => a - b;
J
cat > math.test.js <<'J'
import { describe, expect, it } from "vitest";
import { add } from "./math.js";
describe("add", () => {
  it("adds two numbers", () => { expect(add(2, 3)).toBe(5); });
  it("adds zero", () => { expect(add(2, 0)).toBe(2); });
});
J
./node_modules/.bin/vitest run --root . > ../vitest.out 2>&1; echo "vitest exit $?"
cd ..
wrap --step "Run npx vitest run" --command "npx vitest run" --exit 1 vitest.out > "$out/vitest.log"

# --- jest ---
mkdir -p jt && cd jt
ln -sfn ../node_modules node_modules
cat > cart.js <<'J'
exports.totalOf = (items) => items.reduce((s, i) => s + i.price, 0) * 1.2;
J
cat > cart.test.js <<'J'
const { totalOf } = require("./cart");
test("totals the cart", () => {
  expect(totalOf([{ price: 10 }, { price: 5 }])).toBe(15);
});
test("empty cart", () => { expect(totalOf([])).toBe(0); });
J
./node_modules/.bin/jest --colors --rootDir . > ../jest.out 2>&1; echo "jest exit $?"
cd ..
wrap --step "Run npx jest" --command "npx jest" --exit 1 jest.out > "$out/jest.log"

# --- node:test ---
mkdir -p nt && cd nt
cat > slug.test.mjs <<'J'
import { test } from "node:test";
import assert from "node:assert/strict";
const slug = (s) => s.toLowerCase().replace(/ /g, "_");
test("slug uses dashes", () => { assert.equal(slug("Hello World"), "hello-world"); });
test("slug lowercases", () => { assert.equal(slug("ABC"), "abc"); });
J
node --test slug.test.mjs > ../node-test.out 2>&1; echo "node:test exit $?"
cd ..
wrap --step "Run node --test" --command "node --test" --exit 1 node-test.out > "$out/node-test.log"

# --- pytest (and a traceback) ---
mkdir -p py && cd py
cat > inventory.py <<'J'
def restock(stock, item, n):
    stock[item] += n
    return stock
J
cat > test_inventory.py <<'J'
from inventory import restock

def test_restock_existing():
    assert restock({"apple": 1}, "apple", 2) == {"apple": 3}

def test_restock_new_item():
    assert restock({}, "pear", 1) == {"pear": 1}

def test_restock_count():
    assert restock({"fig": 1}, "fig", 1)["fig"] == 3
J
python3 -m pytest --color=yes -p no:cacheprovider > ../pytest.out 2>&1; echo "pytest exit $?"
cat > main.py <<'J'
import json

def load(path):
    with open(path) as f:
        return json.load(f)

def main():
    cfg = load("settings.json")
    print(cfg["port"])

main()
J
python3 main.py > ../traceback.out 2>&1; echo "python exit $?"
cd ..
wrap --step "Run pytest" --command "pytest" --exit 1 pytest.out > "$out/pytest.log"
wrap --step "Run python main.py" --command "python main.py" --exit 1 traceback.out > "$out/python-traceback.log"

# --- go test ---
mkdir -p gt && cd gt
cat > go.mod <<'J'
module example.com/shop

go 1.19
J
cat > shop.go <<'J'
package shop

func Discount(total int) int { return total * 90 / 100 }
J
cat > shop_test.go <<'J'
package shop

import "testing"

func TestDiscount(t *testing.T) {
	if got := Discount(200); got != 170 {
		t.Errorf("Discount(200) = %d, want 170", got)
	}
}

func TestDiscountZero(t *testing.T) {
	if Discount(0) != 0 {
		t.Fatal("zero")
	}
}
J
GOFLAGS=-mod=mod GOCACHE="$work/.gocache" go test ./... > ../go-test.out 2>&1; echo "go test exit $?"
cd ..
wrap --step "Run go test ./..." --command "go test ./..." --exit 1 go-test.out > "$out/go-test.log"

# --- cargo (compile error and a failing test) ---
rm -rf ct && cargo new --lib --quiet ct && cd ct
cat > src/lib.rs <<'J'
pub fn parse_port(s: &str) -> u16 {
    let n: u32 = s.parse().unwrap();
    n
}

#[cfg(test)]
mod tests {
    #[test]
    fn parses() { assert_eq!(super::parse_port("80"), 80); }
}
J
cargo test --color always --offline > ../cargo-build.out 2>&1; echo "cargo build exit $?"
cat > src/lib.rs <<'J'
pub fn parse_port(s: &str) -> u16 {
    s.trim().parse().unwrap_or(0) + 1
}

#[cfg(test)]
mod tests {
    #[test]
    fn parses() { assert_eq!(super::parse_port("80"), 80); }
    #[test]
    fn rejects_garbage() { assert_eq!(super::parse_port("x"), 0); }
}
J
cargo test --color always --offline > ../cargo-test.out 2>&1; echo "cargo test exit $?"
cd ..
wrap --step "Run cargo test" --command "cargo test" --exit 101 cargo-build.out > "$out/cargo-build.log"
wrap --step "Run cargo test" --command "cargo test" --exit 101 cargo-test.out > "$out/cargo-test.log"

# --- maven (compile error) ---
if command -v mvn >/dev/null; then
  mkdir -p mv/src/main/java/shop && cd mv
  cat > pom.xml <<'J'
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>shop</groupId><artifactId>shop</artifactId><version>1.0</version>
  <properties><maven.compiler.source>17</maven.compiler.source><maven.compiler.target>17</maven.compiler.target></properties>
</project>
J
  cat > src/main/java/shop/Cart.java <<'J'
package shop;
public class Cart {
  public int total(int[] prices) {
    int sum = 0;
    for (int p : prices) sum += p;
    return sum + tax;
  }
}
J
  mvn -B -o -q compile > ../maven.out 2>&1; echo "mvn exit $?"
  cd ..
  wrap --step "Run mvn -B compile" --command "mvn -B compile" --exit 1 maven.out > "$out/maven.log"
fi
echo "fixtures in $out"

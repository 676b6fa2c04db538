# Sourced by the benchmark scripts: moves to the repository root, builds the jars unless
# REBUILD=0, and says which machine and Java the figures come from.
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
if [[ "${REBUILD:-1}" == 1 || ! -f benchmarks/target/benchmarks.jar ]]; then
  mvn -q -DskipTests package
fi
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
java -version 2>&1 | sed -n 1p

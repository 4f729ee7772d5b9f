# Sourced by the benchmark scripts that run ../shared/peers/vae_torch.py: checks the peer script is there,
# installs from Debian (as root) what it needs — the dataset, python3-torch, and OpenBLAS (without it
# Debian's torch falls back to the reference BLAS and runs ~30x slower) — and records the machine.
#   source "$root/apps/bench/peer-setup.sh"; peer_setup "$out"   (sets $peer and $data)
peer_setup() {
  local out="$1"
  peer="$root/../shared/peers/vae_torch.py"
  data=/usr/share/datasets/fashion-mnist
  [ -f "$peer" ] || { echo "no peer script at $peer" >&2; exit 1; }
  local need=()
  [ -d "$data" ] || need+=(dataset-fashion-mnist)
  /usr/bin/python3 -c 'import torch' 2>/dev/null || need+=(python3-torch)
  dpkg -s libopenblas0-pthread >/dev/null 2>&1 || need+=(libopenblas0-pthread)
  if [ ${#need[@]} -gt 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  fi
  record_machine "$out"
}

# Writes the core count, memory and CPU model to OUT/machine.txt (and prints them).
record_machine() {
  mkdir -p "$1"
  { echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB"; lscpu | grep -m1 'Model name'; } \
    | tee "$1/machine.txt"
}

#!/usr/bin/env bash
# Flink GPU discovery script for hosts without GPUs (the simulated GPU cluster of the ITCases).
# Takes the arguments of Flink's nvidia-gpu-discovery.sh and prints what it prints, but the host's
# GPU indices come from --fake-gpus instead of nvidia-smi. Allocation, coordination mode included,
# is Flink's own gpu-discovery-common.sh from the GPU plugin folder.
#   fake-gpu-discovery.sh AMOUNT --fake-gpus 0,1,2,3 [--enable-coordination-mode]
#                         [--coordination-file FILE]

plugin_dir="${FLINK_PLUGINS_DIR:?FLINK_PLUGINS_DIR must name the Flink plugins folder}/external-resource-gpu"
# shellcheck source=/dev/null
source "$plugin_dir/gpu-discovery-common.sh"

if [ $# -lt 1 ]; then
  echo "Usage: fake-gpu-discovery.sh gpu-amount --fake-gpus 0,1 [--enable-coordination-mode] [--coordination-file filePath]"
  exit 1
fi

AMOUNT=$1
shift
FAKE_GPUS=""
COORDINATION_FILE="/var/tmp/flink-gpu-coordination"
COORDINATION_MODE="non-coordination"

while [[ $# -ge 1 ]]; do
  key="$1"
  shift
  case $key in
    --fake-gpus)
      FAKE_GPUS="$1"
      shift
      ;;
    --enable-coordination-mode)
      COORDINATION_MODE="coordination"
      ;;
    --coordination-file)
      COORDINATION_FILE="$1"
      shift
      ;;
    *)
      ;;
  esac
done

if [ "$AMOUNT" -eq 0 ]; then
  exit 0
fi

IFS=',' read -r -a indexes <<< "$FAKE_GPUS"
gpu_discovery "${indexes[*]}" "$AMOUNT" "$COORDINATION_MODE" "$COORDINATION_FILE"

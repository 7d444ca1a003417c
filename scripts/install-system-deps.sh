#!/usr/bin/env bash
# Installs the few Debian packages vidprocme needs beyond a JDK, when they are missing:
#  - libpulse0: the ffmpeg/ffprobe programs bundled in the FFmpeg jar link libavdevice, which links
#    PulseAudio's client library. The pipeline itself (JNI into avformat/avcodec/avfilter) does not need
#    it, but the demo clip, the tests and the benchmark baselines run those programs.
# Safe to run repeatedly; does nothing when everything is present.
set -euo pipefail

missing=()
if ! ldconfig -p 2>/dev/null | grep -q 'libpulse.so.0 '; then
  missing+=(libpulse0)
fi
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then sudo=""; elif command -v sudo >/dev/null; then sudo="sudo"; else
  echo "vidprocme needs the Debian packages: ${missing[*]} (run as root: apt-get install ${missing[*]})" >&2
  exit 1
fi
echo "Installing ${missing[*]} ..." >&2
$sudo apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

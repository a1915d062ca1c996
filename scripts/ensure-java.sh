#!/usr/bin/env bash
# Spark (monitoring's second engine) needs a Java 17 runtime. Install it when missing and we may.
set -euo pipefail
if command -v java >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "ensure-java: installing openjdk-17-jre-headless" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless >/dev/null
else
  echo "ensure-java: no java on PATH; Spark tests will be skipped" >&2
fi
